"""ant_mock: an offline, faithful stand-in for the Anthropic API, each endpoint in its last working state:
the legacy Text Completions API (`POST /v1/complete`, as it last worked), Messages (`POST /v1/messages`, today)
and Message Batches (`/v1/messages/batches`).

Standard library only, and independent of the CLI: it keeps its own model and beta lists. It refuses what the
real endpoints refuse (status, error type and message, one error per answer), streams Server-Sent Events, plays
scripted faults for everyone or for one client, and simulates load (latency; requests, input-token and
output-token rate limits; a second client on the same key).

    python -m ant_mock --help          every option, control endpoint and script action
    with MockServer() as mock: ...     the same in a test, in a background thread on 127.0.0.1
"""

from ant_mock.server import MockServer

__all__ = ["MockServer"]
