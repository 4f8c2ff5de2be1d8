"""The exit-status contract of `ant`: one enum, documented in --help, the README and the man page."""

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit statuses a script can branch on."""

    SUCCESS = 0
    FAILURE = 1  # anything else: unmatched --transform path, output write error, internal error
    USAGE = 2  # bad flag or value, missing field or credential, unreadable input; nothing was sent
    NETWORK = 3  # could not connect, TLS failure, connection dropped, timed out, stream cut short
    API_REJECTED = 4  # 4xx other than 429
    API_FAILED = 5  # 5xx, 529 overloaded, an error event inside a stream
    RATE_LIMITED = 6  # 429
    SOME_FAILED = 7  # batch: finished, every line has a result, some of them errored
    INTERRUPTED = 130  # Ctrl-C


EXIT_STATUS_TABLE = (
    (ExitCode.SUCCESS, "success"),
    (ExitCode.FAILURE, "any other failure (e.g. a --transform path that matches nothing, an output write error)"),
    (ExitCode.USAGE, "usage: bad flag or value, missing field or credential, unreadable input; nothing was sent"),
    (ExitCode.NETWORK, "network: could not connect, TLS failure, connection dropped, timed out, stream cut short"),
    (ExitCode.API_REJECTED, "the API rejected the request: 4xx other than 429 (400, 401, 403, 404, 413, ...)"),
    (ExitCode.API_FAILED, "the API failed: 5xx, 529 overloaded, an error inside a stream"),
    (ExitCode.RATE_LIMITED, "rate limited: 429"),
    (ExitCode.SOME_FAILED, "batch: finished, but some lines have an errored result"),
    (ExitCode.INTERRUPTED, "interrupted (Ctrl-C)"),
)


def exit_code_for_status(status: int) -> ExitCode:
    """Map an HTTP error status to the exit status a script sees."""
    if status == 429:
        return ExitCode.RATE_LIMITED
    if status >= 500:
        return ExitCode.API_FAILED
    if status >= 400:
        return ExitCode.API_REJECTED
    return ExitCode.FAILURE


def exit_status_help() -> str:
    """The exit-status table as plain text, for --help epilogs and generated docs."""
    lines = ["Exit status:"]
    lines += [f"  {int(code):>3}  {meaning}" for code, meaning in EXIT_STATUS_TABLE]
    return "\n".join(lines)
