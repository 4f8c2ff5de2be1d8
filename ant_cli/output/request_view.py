"""--dry-run and --curl: the request exactly as it would be sent, printed instead of sent.

Both take the HttpRequest from the one builder; credentials never appear (redacted, or left to the
shell as $ANTHROPIC_API_KEY / $ANTHROPIC_AUTH_TOKEN).
"""

from __future__ import annotations

import json
import shlex

from ant_cli.core.redact import redact_headers


def request_document(request) -> dict:
    """The request as data: method, URL, headers (credentials redacted), JSON body."""
    return {"method": request.method, "url": request.url, "headers": redact_headers(request.headers),
            "body": request.body}


def render_dry_run(request) -> bytes:
    """HTTP-like text: request line, headers, blank line, the JSON body."""
    lines = [f"{request.method} {request.url}"]
    lines += [f"{name}: {value}" for name, value in redact_headers(request.headers).items()]
    lines += ["", json.dumps(request.body, indent=2, ensure_ascii=False)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def credential_header(headers: dict) -> str:
    """The auth header for curl, with the secret left to the shell's environment (double quotes expand it)."""
    if "authorization" in headers:
        return '"Authorization: Bearer $ANTHROPIC_AUTH_TOKEN"'
    return '"x-api-key: $ANTHROPIC_API_KEY"'


def render_curl(request) -> bytes:
    """A curl command that sends the same request; paste it into a POSIX shell."""
    first = ["curl", "-sS"] + (["-N"] if request.streaming else []) + ["-X", request.method, shlex.quote(request.url)]
    lines = [" ".join(first), "-H " + credential_header(request.headers)]
    lines += ["-H " + shlex.quote(f"{name}: {value}") for name, value in request.headers.items()
              if name not in ("x-api-key", "authorization")]
    lines.append("--data-binary " + shlex.quote(json.dumps(request.body, ensure_ascii=False)))
    return (" \\\n  ".join(lines) + "\n").encode("utf-8")
