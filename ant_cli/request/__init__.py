"""The request layer: option values and piped bodies merged into one checked HTTP request.

Owns `@file` references and relaxed JSON/YAML values (`values`), the piped body (`stdin_body`),
building the body and headers (`build`), the checks made before sending (`validate`) and the one
entry point the commands use (`prepare`). Imports `ant_cli.core` only: no click, no HTTP.
"""
