"""`python -m ant_mock`: the command line, and the help text that documents options and script actions."""

from __future__ import annotations

import argparse
import sys
import textwrap
from collections.abc import Sequence

from ant_mock.batches import BatchLimits
from ant_mock.catalogue import MESSAGES_MODEL_IDS
from ant_mock.knowledge import MESSAGES_ERA_EXAMPLES, SERVED_MODELS
from ant_mock.load import DEPTH, UNLIMITED, parse_latency
from ant_mock.server import MockServer

DESCRIPTION = """\
An offline stand-in for the Anthropic API, each endpoint in its last working state. It prints its base URL,
then answers until interrupted. It refuses what the real API refuses, with the same status, error type and
message, a request-id header and the same request_id in every error body (except a body over 32 MB, or
twice --batch-max-bytes for a batch: that gets Cloudflare's bare 413, decided from its content-length before
the API would see it).

POST /v1/complete   Text Completions as it last worked (2024-03 .. 2025-07): {served} answer;
                    Claude 3 and later ids get 400 "not supported on this API"
                    ({examples}, ...);
                    any other id gets 404 "model: <id>".
POST /v1/messages   Messages as it works today, streamed in the documented event order. These answer,
                    each with its max_tokens ceiling, prefill and sampling rules:
{current}
                    Retired ids (claude-2.1, claude-3-*, claude-sonnet-4-20250514,
                    claude-mythos-preview, ...) and unknown ones get 404 "model: <id>".
--allow-model adds ids that answer on both, without restrictions.

/v1/messages/batches   Message Batches: create (POST), list (GET), retrieve (GET /{{id}}), cancel
                    (POST /{{id}}/cancel), delete (DELETE /{{id}}), results (GET /{{id}}/results, JSONL in an
                    order unlike the input's). A batch is in_progress for --batch-seconds, then ended;
                    each request is then validated as /v1/messages would (errored if invalid). Refused at
                    create: over --batch-max-bytes (413), over --batch-max-requests, a custom_id that is not
                    ^[a-zA-Z0-9_-]{{1,64}}$ or is used twice (400). Cancel: canceling, then ended with
                    canceled results.

Rate limits (--rpm, --input-tpm, --output-tpm) are token buckets as the API's: each refills continuously at
its limit/60 per second and holds --depth seconds of refill. A request is admitted when every bucket has room;
it spends one request, its prompt's words as input tokens, and its max_tokens (or max_tokens_to_sample) as
output tokens. A refusal is a 429 rate_limit_error at once, whose retry-after is the whole seconds the
missing capacity takes. --other-client F simulates a second client on the same key taking F of every refill.
Every answer carries the anthropic-ratelimit- headers for requests, tokens, input-tokens and output-tokens
(-limit, -remaining, -reset). They never announce a limit the mock does not enforce: a family without its
option reports {unlimited} as limit and remaining, reset now.
""".format(served=", ".join(SERVED_MODELS), examples=", ".join(MESSAGES_ERA_EXAMPLES[:3]),
           current=textwrap.fill(", ".join(MESSAGES_MODEL_IDS), 110, initial_indent=" " * 20,
                                 subsequent_indent=" " * 20, break_on_hyphens=False), unlimited=UNLIMITED)

EPILOG = """\
control endpoints:
  POST /_mock/script          queue actions, one consumed per API request (/v1/complete, /v1/messages,
                              /v1/messages/batches...)
                                shared:     [ACTION, ...]
                                one client: /_mock/script?client=NAME  or  {"client": "NAME", "actions": [...]}
                              a request with the header "x-mock-client: NAME" plays NAME's queue first,
                              then the shared one
  GET  /_mock/requests        the API requests so far: method, path, headers, body, time,
                              peer_port, seq
  GET  /_mock/stats           {"requests": n, "in_flight": n, "max_in_flight": n, "connections": n}
  POST /_mock/reset           forget scripts, requests, counters and sequence numbers; refill the
                              rate-limit buckets

script actions (an action is an object; keys combine):
  status       a canned answer; the error type follows the status  {"status": 429}
               (429 rate_limit_error, 529 overloaded_error, 500 api_error, 504 timeout_error, ...)
  error        an error type; the status follows it                {"error": "overloaded_error"}
  message      the error message (default: the API's for the type) {"status": 403, "message": "no access"}
  body         a canned body (object, or text)                     {"status": 200, "body": {"completion": "x"}}
  content_type the canned body's content type                      {"body": "oops", "content_type": "text/plain"}
  headers      extra headers; alone, added to the normal answer    {"headers": {"retry-after": "2"}}
  delay        seconds before answering                            {"delay": 1.5}
  reset        drop the connection with a TCP reset                {"reset": true}
  html         a proxy's HTML error page (status 502 by default)   {"html": true, "status": 503}
  truncate     a JSON body shorter than its content-length         {"truncate": true}
  events       stream N identical deltas instead of the reply      {"events": 100}
  chunk        the text of each of those deltas                    {"events": 5, "chunk": " tick"}
  interval     seconds between streamed events                     {"events": 20, "interval": 0.25}
  error_after  an overloaded error event after N deltas            {"error_after": 3}
  bare_error   that error event without its top-level type         {"error_after": 1, "bare_error": true}
  cut_after    end the stream after N deltas and close             {"cut_after": 2}
               (no final event, no chunked terminator)
  no_final     the stream ends cleanly but without its final event {"no_final": true}
  stall_after  stop sending after N deltas and hang                {"stall_after": 2}
  expire       (a batch create) the batch ends with every request  {"expire": true}
               expired
  lost_polls   (a batch create) its first N retrieves and results  {"lost_polls": 2}
               answer 404, as the API may just after a create

example:
  python -m ant_mock --port 8787 --rpm 60 --latency 0.02-0.08 &
  curl -s -X POST http://127.0.0.1:8787/_mock/script -d '[{"status": 429, "headers": {"retry-after": "1"}}]'
"""


def parse_args(argv: Sequence[str] | None, prog: str = "python -m ant_mock") -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--api-key", help="accept only this key (default: any non-empty key or bearer token)")
    parser.add_argument("--allow-model", action="append", default=[], metavar="ID",
                        help="also answer for this model id (repeatable), e.g. --allow-model claude-instant-1.2")
    parser.add_argument("--latency", type=latency_option, default=None, metavar="SECONDS",
                        help="wait before each answer: fixed (0.05) or random in a range (0.02-0.08)")
    parser.add_argument("--rpm", type=int, default=None, metavar="N",
                        help="requests per minute; past it, 429 rate_limit_error with retry-after "
                             "(default: unlimited; the rate-limit headers are sent either way, and say so)")
    parser.add_argument("--batch-seconds", type=float, default=BatchLimits.seconds, metavar="SECONDS",
                        help="how long a Message Batch stays in_progress (default: %(default)s)")
    parser.add_argument("--batch-max-requests", type=int, default=BatchLimits.max_requests, metavar="N",
                        help="requests one batch may hold (default: %(default)s, the API's)")
    parser.add_argument("--batch-max-bytes", type=int, default=BatchLimits.max_bytes, metavar="N",
                        help="bytes a batch create body may have; over it, 413 (default: %(default)s, the API's)")
    parser.add_argument("--input-tpm", type=int, default=None, metavar="N",
                        help="input tokens (prompt words) per minute; past it, 429 (default: unlimited)")
    parser.add_argument("--output-tpm", type=int, default=None, metavar="N",
                        help="output tokens per minute, counted by max_tokens at admission; past it, 429 "
                             "(default: unlimited)")
    parser.add_argument("--depth", type=float, default=DEPTH, metavar="SECONDS",
                        help=f"seconds of refill a full bucket holds (default: {DEPTH:g})")
    parser.add_argument("--other-client", type=float, default=0.0, metavar="F",
                        help="a simulated second client on the same key takes this share (0 to <1) of every limit")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"), help="serve HTTPS with this certificate and key")
    return parser.parse_args(argv)


def latency_option(text: str) -> str:
    try:
        parse_latency(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def main(argv: Sequence[str] | None = None, prog: str = "python -m ant_mock") -> int:
    options = parse_args(argv, prog)
    server = MockServer(options.port, options.api_key, options.host, tuple(options.tls) if options.tls else None,
                        allow_models=options.allow_model, latency=options.latency, rpm=options.rpm,
                        input_tpm=options.input_tpm, output_tpm=options.output_tpm, depth=options.depth,
                        other=options.other_client,
                        batches=BatchLimits(options.batch_seconds, options.batch_max_requests,
                                            options.batch_max_bytes))
    print(server.url, flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
