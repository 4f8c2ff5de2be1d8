"""The client layer: sending a built request and reading what comes back.

Owns the HTTP session and attempts (`transport`), the retry policy (`retry`), classifying network
failures (`network_errors`) and error bodies (`api_errors`), Server-Sent Events (`sse`), a streamed
response read event by event (`stream`) and the `--debug` log (`debuglog`). Imports `ant_cli.core`
only: no click, no rendering. requests is imported inside the functions that send.
"""
