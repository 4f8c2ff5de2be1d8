"""An offline stand-in for `POST /v1/complete`, standard library only.

Run it with `python -m ant_cli.mockserver [--port N]`; it prints its base URL on stdout. It checks
headers and body as the real API does (api-wire.md), answers with the error envelope and a
`request-id`, streams Server-Sent Events for `"stream": true`, and plays scripted faults:

    POST /_mock/script   a JSON list of actions, one consumed per /v1/complete request
    GET  /_mock/requests the requests received so far (headers, body, arrival time)
    POST /_mock/reset    forget both

An action is an object with any of: status, headers, body, content_type (a canned answer);
error (an error type, e.g. "overloaded_error"); delay (seconds before answering); reset (drop the
connection); html (a proxy's HTML page); truncate (a body shorter than its content-length);
events, chunk, interval (stream shape); error_after, bare_error, cut_after, stall_after (stream faults).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import ssl
import string
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from ant_cli.core.catalog import KNOWN_BETAS, KNOWN_MODELS

ERROR_STATUS = {
    "invalid_request_error": 400, "authentication_error": 401, "billing_error": 402,
    "permission_error": 403, "not_found_error": 404, "request_too_large": 413,
    "rate_limit_error": 429, "api_error": 500, "timeout_error": 504, "overloaded_error": 529,
}
EXTRA_MODELS = ("claude-2.1", "claude-2.0", "claude-instant-1.2")


def make_id(prefix: str) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "01" + "".join(random.choice(alphabet) for _ in range(22))


def error_body(error_type: str, message: str, request_id: str) -> dict:
    return {"type": "error", "error": {"type": error_type, "message": message}, "request_id": request_id}


class Rejection(Exception):
    """A request the real API would refuse: (status, error type, message)."""

    def __init__(self, status: int, error_type: str, message: str):
        super().__init__(message)
        self.status, self.error_type, self.message = status, error_type, message


def check_headers(headers, api_key: str | None) -> None:
    key = headers.get("x-api-key")
    bearer = headers.get("authorization", "")
    if not key and not bearer.lower().startswith("bearer "):
        raise Rejection(401, "authentication_error", "x-api-key header is required")
    if api_key is not None and key != api_key and bearer[7:] != api_key:
        raise Rejection(401, "authentication_error", "invalid x-api-key")
    if not headers.get("anthropic-version"):
        raise Rejection(400, "invalid_request_error", "anthropic-version: header is required")
    for header in headers.get_all("anthropic-beta") or []:
        for name in filter(None, (part.strip() for part in header.split(","))):
            if name not in KNOWN_BETAS:
                raise Rejection(400, "invalid_request_error", f"Unsupported beta header: {name}")


def check_body(raw: bytes) -> dict:
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Rejection(400, "invalid_request_error", f"The request body is not valid JSON: {exc}") from None
    if not isinstance(body, dict):
        raise Rejection(400, "invalid_request_error", "The request body must be a JSON object")
    for name in ("model", "prompt", "max_tokens_to_sample"):
        if name not in body:
            raise Rejection(400, "invalid_request_error", f"{name}: Field required")
    check_ranges(body)
    check_prompt(body["prompt"])
    if body["model"] not in KNOWN_MODELS + EXTRA_MODELS:
        raise Rejection(404, "not_found_error", f"model: {body['model']}")
    return body


def check_ranges(body: dict) -> None:
    def bad(message):
        raise Rejection(400, "invalid_request_error", message)

    maximum = body["max_tokens_to_sample"]
    if not isinstance(maximum, int) or isinstance(maximum, bool) or maximum < 1:
        bad("max_tokens_to_sample: Input should be an integer greater than or equal to 1")
    if not isinstance(body["prompt"], str) or not body["prompt"]:
        bad("prompt: String should have at least 1 character")
    for name in ("temperature", "top_p"):
        value = body.get(name, 0.5)
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= 1:
            bad(f"{name}: range: 0..1")
    top_k = body.get("top_k", 0)
    if not isinstance(top_k, int) or isinstance(top_k, bool) or top_k < 0:
        bad("top_k: Input should be greater than or equal to 0")
    user_id = (body.get("metadata") or {}).get("user_id")
    if isinstance(user_id, str) and len(user_id) > 256:
        bad("metadata.user_id: String should have at most 256 characters")
    stops = body.get("stop_sequences", [])
    if not isinstance(stops, list) or not all(isinstance(item, str) for item in stops):
        bad("stop_sequences: Input should be a valid list of strings")


def check_prompt(prompt: str) -> None:
    """The API's documented turn rules (api-wire §6), after its light sanitizing."""
    text = prompt.rstrip()
    if text.startswith("Human:"):
        text = "\n\n" + text
    human, assistant = text.find("\n\nHuman:"), text.find("\n\nAssistant:")
    if human < 0 or 0 <= assistant < human:
        raise Rejection(400, "invalid_request_error",
                        'prompt must start with "\n\nHuman:" turn after an optional system prompt')
    if text.rfind("\n\nAssistant:") < text.rfind("\n\nHuman:"):
        raise Rejection(400, "invalid_request_error", 'prompt must end with "\n\nAssistant:" turn')


def compose_reply(body: dict) -> tuple[list[str], str]:
    """Deterministic words answering the last Human turn, cut by max_tokens_to_sample and stop sequences."""
    question = body["prompt"].rsplit("\n\nHuman:", 1)[-1].split("\n\nAssistant:", 1)[0].strip()
    words = [" Hello!", " You", " said:"] + [" " + word for word in question.split()]
    words = words[: body["max_tokens_to_sample"]]
    stop_reason = "max_tokens" if len(words) == body["max_tokens_to_sample"] else "stop_sequence"
    text = "".join(words)
    for stop in body.get("stop_sequences") or []:
        if stop in text:
            cut = text.index(stop)
            words, stop_reason = _cut_words(words, cut), "stop_sequence"
            text = "".join(words)
    return words, stop_reason


def _cut_words(words: list[str], limit: int) -> list[str]:
    kept, length = [], 0
    for word in words:
        if length + len(word) > limit:
            kept.append(word[: limit - length])
            break
        kept.append(word)
        length += len(word)
    return [word for word in kept if word]


class MockState:
    """The fault script and the request log, shared by all handler threads."""

    def __init__(self, api_key: str | None = None):
        self.api_key = api_key
        self.lock = threading.Lock()
        self.script: list[dict] = []
        self.log: list[dict] = []

    def next_action(self) -> dict:
        with self.lock:
            return self.script.pop(0) if self.script else {}

    def record(self, handler, raw: bytes) -> None:
        entry = {"path": handler.path, "proxied": handler.path.startswith("http"),
                 "headers": {k.lower(): v for k, v in handler.headers.items()},
                 "body": raw.decode("utf-8", "replace"), "time": time.time()}
        with self.lock:
            self.log.append(entry)


class Handler(BaseHTTPRequestHandler):
    """Serves /v1/complete and the /_mock control endpoints."""

    protocol_version = "HTTP/1.1"
    server_version = "ant-mock/1"
    state: MockState

    def log_message(self, *args):  # quiet: the client's output is what matters
        pass

    def do_GET(self):
        if self.path == "/_mock/requests":
            with self.state.lock:
                return self.send_json(200, list(self.state.log))
        self.send_json(404, error_body("not_found_error", "Not found", make_id("req_")))

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        if self.path == "/_mock/script":
            with self.state.lock:
                self.state.script.extend(json.loads(raw or b"[]"))
            return self.send_json(200, {"queued": len(self.state.script)})
        if self.path == "/_mock/reset":
            with self.state.lock:
                self.state.script.clear()
                self.state.log.clear()
            return self.send_json(200, {"reset": True})
        if urlsplit(self.path).path != "/v1/complete":  # absolute-form too: the mock can stand in for a proxy
            return self.send_json(404, error_body("not_found_error", "Not found", make_id("req_")))
        self.state.record(self, raw)
        self.complete(raw, self.state.next_action())

    def complete(self, raw: bytes, action: dict):
        request_id = make_id("req_")
        time.sleep(action.get("delay", 0))
        if self.play_fault(action, request_id):
            return
        try:
            check_headers(self.headers, self.state.api_key)
            body = check_body(raw)
        except Rejection as rejection:
            payload = error_body(rejection.error_type, rejection.message, request_id)
            return self.send_json(rejection.status, payload, {"request-id": request_id})
        if body.get("stream") is True:
            return self.stream(body, action, request_id)
        words, stop_reason = compose_reply(body)
        payload = {"id": make_id("compl_"), "type": "completion", "completion": "".join(words),
                   "stop_reason": stop_reason, "model": body["model"]}
        self.send_json(200, payload, {"request-id": request_id})

    def play_fault(self, action: dict, request_id: str) -> bool:
        """Answer with the scripted fault, if the action names one."""
        if action.get("reset"):
            self.reset_connection()
        elif action.get("html"):
            page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
            self.send_raw(action.get("status", 502), page, "text/html", action.get("headers", {}))
        elif action.get("truncate"):
            self.send_truncated(request_id)
        elif "error" in action or "status" in action:
            self.send_scripted(action, request_id)
        else:
            return False
        return True

    def send_scripted(self, action: dict, request_id: str):
        error_type = action.get("error", "api_error")
        status = action.get("status", ERROR_STATUS.get(error_type, 500))
        body = action.get("body", error_body(error_type, action.get("message", "scripted failure"), request_id))
        headers = dict({"request-id": request_id}, **action.get("headers", {}))
        if isinstance(body, str):
            return self.send_raw(status, body.encode(), action.get("content_type", "text/plain"), headers)
        self.send_json(status, body, headers)

    def send_json(self, status: int, payload, headers=None):
        self.send_raw(status, json.dumps(payload).encode(), "application/json", headers or {})

    def send_raw(self, status: int, data: bytes, content_type: str, headers: dict):
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(data)))
        self.send_header("anthropic-organization-id", "mock-org")
        for name, value in headers.items():
            self.send_header(name, str(value))
        self.end_headers()
        self.wfile.write(data)

    def send_truncated(self, request_id: str):
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", "500")
        self.send_header("request-id", request_id)
        self.end_headers()
        self.wfile.write(b'{"id": "compl_cut", "completion": "Hel')
        self.close_connection = True

    def reset_connection(self):
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()

    def stream(self, body: dict, action: dict, request_id: str):
        """Chunked SSE: completion deltas with pings, then the final event; faults as scripted."""
        self.send_response(200)
        self.send_header("content-type", "text/event-stream; charset=utf-8")
        self.send_header("transfer-encoding", "chunked")
        self.send_header("request-id", request_id)
        self.end_headers()
        writer = ChunkWriter(self.wfile, action.get("interval", 0))
        try:
            for event in stream_events(body, action):
                if event is STALL:
                    writer.flush()  # what came before the stall must reach the client
                    time.sleep(3600)
                writer.write(event)
            writer.finish(cut=bool(action.get("cut_after") is not None))
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.close_connection = True


STALL = b""


def sse(name: str, payload) -> bytes:
    return f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode()


def stream_events(body: dict, action: dict):
    """The SSE events of one streamed answer, with the scripted error, cut or stall applied."""
    completion_id, model = make_id("compl_"), body["model"]
    if "events" in action:
        same = sse("completion", {"type": "completion", "id": completion_id, "completion": action.get("chunk", " word"),
                                  "stop_reason": None, "model": model})
        deltas, stop_reason = (same for _ in range(action["events"])), "max_tokens"  # built once: a fast server
    else:
        words, stop_reason = compose_reply(body)
        deltas = (sse("completion", {"type": "completion", "id": completion_id, "completion": word,
                                     "stop_reason": None, "model": model}) for word in words)
    for index, event in enumerate(deltas):
        if index == action.get("error_after"):
            error = {"error": {"type": "overloaded_error", "message": "Overloaded"}}
            yield sse("error", error if action.get("bare_error") else dict(type="error", **error))
            return
        if index == action.get("cut_after"):
            return
        if index == action.get("stall_after"):
            yield STALL
        yield event
        if index == 0:
            yield sse("ping", {"type": "ping"})
    yield sse("completion", {"type": "completion", "id": completion_id, "completion": "",
                             "stop_reason": stop_reason, "model": model})


class ChunkWriter:
    """HTTP/1.1 chunked writes: batched for throughput, or one per event with a pause when paced."""

    def __init__(self, wfile, interval: float, batch: int = 65536):
        self.wfile, self.interval, self.batch = wfile, interval, batch
        self.pending: list[bytes] = []
        self.size = 0

    def write(self, data: bytes):
        self.pending.append(data)
        self.size += len(data)
        if self.interval or self.size >= self.batch:
            self.flush()
        if self.interval:
            time.sleep(self.interval)

    def flush(self):
        if self.pending:
            data = b"".join(self.pending)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            self.pending, self.size = [], 0

    def finish(self, cut: bool):
        self.flush()
        if not cut:
            self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up early is normal here (timeouts, Ctrl-C tests): no traceback for it."""

    daemon_threads = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)


class MockServer:
    """The mock API on 127.0.0.1, in a background thread (for tests, the demo and the bench)."""

    def __init__(self, port: int = 0, api_key: str | None = None, host: str = "127.0.0.1",
                 tls: tuple[str, str] | None = None):
        handler = type("BoundHandler", (Handler,), {"state": MockState(api_key)})
        self.state = handler.state
        self.httpd = QuietServer((host, port), handler)
        scheme = "http"
        if tls:  # (certificate file, key file): serve HTTPS, to test CA bundles and TLS failures
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def script(self, *actions: dict) -> None:
        with self.state.lock:
            self.state.script.extend(actions)

    @property
    def requests(self) -> list[dict]:
        with self.state.lock:
            return list(self.state.log)


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m ant_cli.mockserver", description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    parser.add_argument("--api-key", help="accept only this key (default: any non-empty key)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    options = parse_args(argv)
    server = MockServer(options.port, options.api_key)
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
