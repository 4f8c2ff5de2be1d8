"""Sending a built request with requests: attempts, retries, timeouts and network failures.

One Transport (one session, one pool of kept-alive connections, one debug log) serves a whole run:
`create` sends through it once (a re-sent stream shares that send's retry budget), `batch` sends
every line through it from many threads, each line with a budget of its own, paced by a Pacer that
hears of every answer (its rate-limit headers, its usage) and of every attempt that got none.
It sends the request's method: a POST with its JSON body (or a large body from its `upload` file), or
a GET (Message Batches polls and results). requests is imported inside the functions that send, so
that --help and usage errors never pay for it; a batch sends through the lean session of http.client
instead, unless a proxy is set.
"""

from __future__ import annotations

import threading
import time
from typing import Callable, Mapping

from ant_cli.client.api_errors import api_error, error_fields, parse_json, status_phrase
from ant_cli.client.ca_bundle import ca_bundle
from ant_cli.client.lean_http import LeanSession, lean_session_fits
from ant_cli.client.network_errors import describe_network_error, network_exceptions, read_timeout
from ant_cli.client.pacer import Ticket
from ant_cli.client.retry import backoff_delay, retry_delay, should_retry_status
from ant_cli.core.errors import Cancelled, ConnectTimeout, NetworkError
from ant_cli.core.types import HttpRequest, Settings

READ_SIZE = 65536


class Response:
    """One HTTP answer. `body` is None while a successful stream is still open on `handle`."""

    __slots__ = ("status", "reason", "headers", "body", "handle")

    def __init__(self, status: int, reason: str, headers: Mapping[str, str], body: bytes | None, handle):
        self.status, self.reason, self.headers, self.body, self.handle = status, reason, headers, body, handle

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def request_id(self) -> str | None:
        return self.headers.get("request-id")

    def read_chunks(self):
        """The body as it arrives, one network read at a time (for live streaming)."""
        raw = self.handle.raw
        while True:
            data = raw.read1(READ_SIZE, decode_content=True)
            if not data:
                return
            yield data

    def close(self) -> None:
        self.handle.close()


class Budget:
    """The retries one request may still take, where its retry notices go (a line writer; None: the
    transport's), (batch) the event that cancels it: once set, no new attempt starts and no retry
    wait goes on, and the pacer's ticket its first attempt was already admitted with, if it was."""

    def __init__(self, say: Callable[[str], None] | None = None, label: str = "",
                 stop: threading.Event | None = None, resend: bool = True, ticket: Ticket | None = None):
        self.retries = 0
        self.ticket = ticket
        self.say = say
        self.label = label
        self.stop = stop
        self.resend = resend  # False: a request that may have reached the server is not sent again (a batch create)

    def check(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise Cancelled("cancelled: the run is stopping")


class Transport:
    """Sends requests, retrying what the SDKs retry, with a notice on stderr before each wait.
    `say` writes one line of talk (the spinner's or the progress bar's, which clear themselves first)."""

    def __init__(self, settings: Settings, variables: Mapping[str, str], say: Callable[[str], None],
                 debug=None, sleep: Callable[[float], None] = time.sleep, pool_size: int = 10, pacer=None,
                 lean: bool = False):
        self.settings = settings
        self.variables = variables
        self.say = say
        self.debug = debug
        self.sleep = sleep
        self.pool_size = pool_size
        self.pacer = pacer  # shared pacing of every send (batch); None sends at once
        self.lean = lean  # many small requests (batch): the lean session where no proxy is set
        self._session = None
        self._lock = threading.Lock()
        self.sent = self.retried = 0  # HTTP requests started, and how many of them were retries (for a summary)

    def send(self, request: HttpRequest, budget: Budget) -> Response:
        while True:
            try:
                response = self._attempt(request, budget)
            except NetworkError as failure:
                unsent = budget.resend or isinstance(failure, ConnectTimeout)  # no connection: nothing was sent
                if not unsent or not self.wait_to_retry(budget, str(failure), backoff_delay(budget.retries)):
                    raise
                continue
            if response.ok or not should_retry_status(response.status, response.headers):
                return response
            delay = retry_delay(response.headers, budget.retries)
            if self.pacer is not None:
                self.pacer.after_refusal(response.status, response.headers)
            if not self.wait_to_retry(budget, self._status_text(response), delay):
                return response
            response.close()

    def wait_to_retry(self, budget: Budget, what: str, delay: float | None = None) -> bool:
        """Take one retry from the budget: say what failed and how long we wait, wait, count it, return True.
        False at once, without a word, when the budget has none left."""
        if budget.retries >= self.settings.max_retries:
            return False
        delay = backoff_delay(budget.retries) if delay is None else delay
        budget.check()
        if not self.settings.quiet:
            total = self.settings.max_retries + 1
            wait = max(delay, self.pacer.wait_left()) if self.pacer is not None else delay  # a shared pause too
            self.notify(budget, f"{what}; retrying in {wait:.1f}s (attempt {budget.retries + 2} of {total})")
        if budget.stop is None:
            self.sleep(delay)
        else:
            budget.stop.wait(delay)  # a stopping batch does not sit out a retry wait
            budget.check()
        budget.retries += 1
        return True

    def count_attempt(self, retries: int) -> None:
        with self._lock:
            self.sent += 1
            self.retried += 1 if retries else 0

    def notify(self, budget: Budget, text: str) -> None:
        """The one place a transport notice gets its `ant: ` prefix (and the batch line's label)."""
        (budget.say or self.say)(f"ant: {budget.label}{text}")

    @staticmethod
    def _status_text(response: Response) -> str:
        error_type, _ = error_fields(parse_json(response.body or b""))
        return f"{response.status} {error_type}" if error_type else status_phrase(response.status, response.reason)

    def _attempt(self, request: HttpRequest, budget: Budget) -> Response:
        headers = dict(request.headers, **{"x-stainless-retry-count": str(budget.retries)})
        ticket, budget.ticket = budget.ticket, None
        if ticket is None and self.pacer is not None:
            ticket = self.pacer.wait_turn(request.body, budget.stop)
        budget.check()
        self.count_attempt(budget.retries)
        if self.debug:
            self.debug.request(request, headers, budget.retries, budget.label)
        started = time.monotonic()
        if self.pacer is not None:
            ticket = self.pacer.sending(ticket)
        try:
            handle = self._http().request(
                request.method, request.url, data=payload(request), headers=headers, stream=True,
                timeout=(self.settings.connect_timeout, self.settings.timeout),
                verify=ca_bundle(self.variables),
            )
            response = Response(handle.status_code, handle.reason, handle.headers, None, handle)
            if not (response.ok and request.streaming):
                response.body = self._read_body(response, request, started)
        except network_exceptions() as exc:
            if self.pacer is not None:
                self.pacer.finished(ticket)  # no answer: it no longer counts as in flight
            raise self._network_error(exc, request) from None
        if self.debug:
            self.debug.response(response, budget.label)
        if self.pacer is not None:
            self.pacer.finished(ticket, response.status, response.headers, response.body)
        return response

    def _read_body(self, response: Response, request: HttpRequest, started: float) -> bytes:
        """Read the whole body, bounded by --timeout in total, not just per read."""
        chunks = []
        for chunk in response.read_chunks():
            chunks.append(chunk)
            if time.monotonic() - started > self.settings.timeout:
                response.close()
                raise read_timeout(request.url, self.settings.timeout)
        return b"".join(chunks)

    def _network_error(self, exc: BaseException, request: HttpRequest) -> NetworkError:
        return describe_network_error(exc, request.url, self.settings.timeout, self.settings.connect_timeout)

    def _http(self):
        if self._session is not None:
            return self._session
        with self._lock:  # senders of a batch share one session: it must be made once, not once per thread
            if self._session is None:
                lean = self.lean and lean_session_fits(self.variables)
                self._session = LeanSession(self.pool_size) if lean else new_session(self.pool_size)
            return self._session

    def open(self) -> None:
        """Make the session now (importing requests), so the first send is not slower than the others."""
        self._http()


def payload(request: HttpRequest):
    """What an attempt sends: nothing for a GET, the file of a large upload (from its start, for a retry too;
    requests streams it with its length), else the JSON body."""
    if request.upload is not None:
        request.upload.seek(0)
        return request.upload
    return None if request.method == "GET" else request.body_bytes()


def new_session(pool_size: int):
    """A session whose pool keeps up to `pool_size` connections per host alive (one per concurrent request)."""
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    for scheme in ("http://", "https://"):
        session.mount(scheme, HTTPAdapter(pool_connections=1, pool_maxsize=pool_size))
    return session


def error_for(response: Response):
    """The ApiError for a non-2xx response whose body has been read."""
    return api_error(response.status, response.reason, response.headers, response.body or b"")
