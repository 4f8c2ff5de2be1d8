"""Exceptions the layers raise: plain data. The error boundary in `ant_cli.main` decides how each is shown."""

from __future__ import annotations

from ant_cli.core.exit_codes import ExitCode, exit_code_for_status


class AntError(Exception):
    """Base of every error the user should see as `ant: error: ...`; a `hint`, when set, is shown on the
    line after it (what to change so the same command works)."""

    exit_code = ExitCode.FAILURE
    hint: str | None = None


class UsageError(AntError):
    """Bad flag, value, input or missing credential; raised before anything is sent."""

    exit_code = ExitCode.USAGE


class NetworkError(AntError):
    """Could not connect, TLS failure, reset, timeout, or a stream cut short."""

    exit_code = ExitCode.NETWORK


class NetworkTimeout(NetworkError):
    """No answer within --timeout: this request was too slow, the network may be fine (a batch keeps
    going; other network failures stop it)."""


class ConnectTimeout(NetworkTimeout):
    """No connection within --connect-timeout: the host is unreachable, as for every other line."""


class Cancelled(AntError):
    """A send given up before it finished, because the run is stopping (a batch after a fatal error)."""


class OutputError(AntError):
    """The result could not be rendered (e.g. a --transform path that matches nothing)."""

    exit_code = ExitCode.FAILURE


class ServerError(AntError):
    """The server sent an error (or something unusable): its body, parsed document and request id are kept."""

    exit_code = ExitCode.API_FAILED

    def __init__(self, message: str, body: bytes = b"", document=None, request_id: str | None = None):
        super().__init__(message)
        self.body = body
        self.document = document
        self.request_id = request_id


class ApiError(ServerError):
    """The API answered with an HTTP error status."""

    def __init__(self, message: str, status: int, body: bytes = b"", document=None, request_id: str | None = None):
        super().__init__(message, body, document, request_id)
        self.status = status
        self.exit_code = exit_code_for_status(status)


class StreamEventError(ServerError):
    """An `error` event inside a stream that had started with 200."""


class MalformedResponse(ServerError):
    """A success status whose body (or one of its stream events) is not the JSON object the API sends."""
