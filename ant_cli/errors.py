"""Exceptions the core raises; the error boundary in `main` turns each into one line and an exit status."""

from __future__ import annotations

from ant_cli.exit_codes import ExitCode, exit_code_for_status


class AntError(Exception):
    """Base of every error the user should see as `ant: error: ...`."""

    exit_code = ExitCode.FAILURE


class UsageError(AntError):
    """Bad flag, value, input or missing credential; raised before anything is sent."""

    exit_code = ExitCode.USAGE


class NetworkError(AntError):
    """Could not connect, TLS failure, reset, timeout, or a stream cut short."""

    exit_code = ExitCode.NETWORK


class OutputError(AntError):
    """The result could not be rendered (e.g. a --transform path that matches nothing)."""

    exit_code = ExitCode.FAILURE


class ApiError(AntError):
    """The API answered with an error status (or an error event inside a stream)."""

    def __init__(self, message: str, status: int, body: bytes = b"", document=None, request_id: str | None = None):
        super().__init__(message)
        self.status = status
        self.body = body
        self.document = document
        self.request_id = request_id
        self.exit_code = ExitCode.API_FAILED if status == 200 else exit_code_for_status(status)
        # Set by the command when the user asked for --format-error other than the one-line summary.
        self.error_view = None
