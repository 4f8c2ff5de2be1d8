"""The batch's pacer on a clock the test moves: the buckets it learns from answers, what it waits for and why."""

from __future__ import annotations

import pytest

from ant_cli.client.pacer import START_WINDOW, Pacer, Ticket

PROMPT = {"prompt": "\n\nHuman: " + "x" * 391 + "\n\nAssistant:", "max_tokens_to_sample": 100}  # 400 characters


class FakeClock:
    def __init__(self):
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def limits(requests=(600, 50), input_tokens=None, output_tokens=None) -> dict[str, str]:
    """Rate-limit headers: (limit, remaining) per family; a family left out is not sent."""
    headers = {}
    for family, pair in (("requests", requests), ("input-tokens", input_tokens), ("output-tokens", output_tokens)):
        if pair is not None:
            headers[f"anthropic-ratelimit-{family}-limit"] = str(pair[0])
            headers[f"anthropic-ratelimit-{family}-remaining"] = str(pair[1])
            headers[f"anthropic-ratelimit-{family}-reset"] = "2030-01-01T00:00:00Z"  # never waited for
    return headers


def pacer_and_clock(**caps) -> tuple[Pacer, FakeClock]:
    clock = FakeClock()
    return Pacer(**caps, clock=clock, wall=lambda: 1_800_000_000.0, sleep=clock.sleep), clock


def send(pacer: Pacer, body=PROMPT, status: int = 200, headers: dict | None = None, answer: bytes = b"{}") -> float:
    """One attempt through the pacer, answered at once; the time it waited."""
    started = pacer.clock()
    ticket = pacer.sending(pacer.wait_turn(body))
    pacer.finished(ticket, status, headers if headers is not None else {}, answer)
    return pacer.clock() - started


class Server:
    """A requests bucket as the API keeps it: `limit` a minute, 5 s deep, `theirs` of each refill another
    client's; `answer` admits one request `waited` seconds after the last and gives the headers."""

    def __init__(self, limit: int, level: float = 0.0, theirs: float = 0.0, family: str = "requests",
                 cost: int = 1):
        self.limit, self.level, self.theirs, self.family, self.cost = limit, level, theirs, family, cost
        self.refused = 0

    def answer(self, waited: float) -> tuple[int, dict[str, str]]:
        self.level = min(self.limit / 12, self.level + waited * self.limit / 60 * (1 - self.theirs))
        if self.level >= self.cost:
            self.level -= self.cost
        else:
            self.refused += 1
        status = 200 if self.level >= 0 and self.refused == 0 else 429
        pair = (self.limit, int(self.level))
        if self.family == "requests":
            return status, limits(pair)
        return status, limits((100_000, 1000), output_tokens=pair)


def serve(pacer: Pacer, server: Server, count: int) -> None:
    """`count` sends, one at a time, each answered by `server` at once."""
    for _ in range(count):
        started = pacer.clock()
        ticket = pacer.sending(pacer.wait_turn(PROMPT))
        status, headers = server.answer(pacer.clock() - started)
        pacer.finished(ticket, status, headers, b"{}")


def test_an_empty_bucket_waits_for_one_requests_refill_not_for_the_reset():
    pacer, clock = pacer_and_clock()
    server = Server(600, level=1)  # drained: the reset is years away, one request is 0.1 s
    serve(pacer, server, 1)
    started = clock.now
    serve(pacer, server, 100)
    assert clock.now - started == pytest.approx(10.0, rel=0.05) and max(clock.slept) <= 0.25
    assert server.refused == 0


def test_before_any_answer_only_a_few_are_in_flight_and_each_answer_admits_one_more():
    pacer, clock = pacer_and_clock()
    first = [pacer.try_turn(PROMPT) for _ in range(START_WINDOW)]
    assert all(isinstance(ticket, Ticket) for ticket in first)
    assert pacer.holdup() is not None and pacer.try_turn(PROMPT) == pytest.approx(0.05)  # look again soon
    pacer.finished(first[0], 200, {})  # an answer without rate-limit headers: the window grows by one
    later = [pacer.try_turn(PROMPT) for _ in range(3)]  # the one answered, and one more; then none
    assert [isinstance(turn, Ticket) for turn in later] == [True, True, False]
    pacer.finished(later[0], 200, limits((600, 45)))  # limits known: the buckets decide, not the window
    assert isinstance(pacer.try_turn(PROMPT), Ticket)


def test_a_refusal_before_the_limits_were_known_does_not_cut_the_pace():
    pacer, clock = pacer_and_clock()
    pacer.finished(pacer.sending(pacer.wait_turn(PROMPT)), 429, limits((600, 0)))  # a drained bucket, unknown
    assert pacer.pace() == "pace 600/min (requests limit binds)"


def test_output_tokens_are_reserved_by_max_tokens_and_bind_the_pace():
    pacer, clock = pacer_and_clock()
    server = Server(6000, level=100, family="output-tokens", cost=100)  # 100 output tokens a second
    serve(pacer, server, 1)
    started = clock.now
    serve(pacer, server, 30)
    assert clock.now - started == pytest.approx(30.0, rel=0.1)  # max_tokens_to_sample 100: one a second
    assert server.refused == 0
    assert pacer.pace() == "pace 60/min (output tokens limit binds)"
    assert pacer.holdup()[1] == "output tokens per minute"


def test_input_tokens_are_estimated_from_the_prompt_and_corrected_by_usage():
    pacer, clock = pacer_and_clock()
    body = {"messages": [{"role": "user", "content": "y" * 390}], "max_tokens": 1}
    send(pacer, body, headers=limits(input_tokens=(6000, 10_000)))
    assert pacer.costs_of(body)[0][1] == pytest.approx(100, rel=0.1)  # 4 characters a token at first
    for _ in range(60):
        send(pacer, body, headers=limits(input_tokens=(6000, 10_000)), answer=b'{"usage": {"input_tokens": 200}}')
    assert pacer.costs_of(body)[0][1] == pytest.approx(200, rel=0.05)  # what the answers say they counted


def test_the_users_caps_spread_sends_evenly():
    pacer, clock = pacer_and_clock(max_rpm=60, max_output_tpm=3000)  # 1 a second; 50 output tokens a second
    starts = []
    for _ in range(4):
        send(pacer, {"prompt": "p", "max_tokens_to_sample": 10})
        starts.append(clock.now)
    assert [round(later - earlier, 2) for earlier, later in zip(starts, starts[1:], strict=False)] == [1.0, 1.0, 1.0]
    assert pacer.holdup() == pytest.approx((1.0, "--max-rpm"), abs=0.01)
    send(pacer, PROMPT)  # 100 output tokens: 2 s of the output cap
    assert pacer.holdup()[1] == "--max-output-tpm"


def test_a_hinted_refusal_pauses_everyone_for_the_hint_and_no_longer():
    pacer, clock = pacer_and_clock()
    pacer.after_refusal(500, {"retry-after": "5"})
    pacer.after_refusal(529, {})
    assert pacer.holdup() is None
    pacer.after_refusal(429, {"retry-after": "2"})
    assert pacer.holdup() == pytest.approx((2.0, "rate limit")) and pacer.pauses == 1
    clock.now += 2
    assert pacer.holdup() is None


def test_a_429_cuts_the_pace_once_a_round_trip_and_successes_bring_it_back():
    pacer, clock = pacer_and_clock()
    send(pacer, headers=limits((6000, 400)))
    assert pacer.pace() == "pace 6,000/min (requests limit binds)"
    early = [pacer.sending(pacer.wait_turn(PROMPT)) for _ in range(2)]
    for ticket in early:  # two refusals of one round trip: one cut
        pacer.finished(ticket, 429, limits((6000, 0)))
    assert pacer.pace() == "pace 4,200/min (requests limit binds)"
    for _ in range(200):
        send(pacer, headers=limits((6000, 400)))
    assert pacer.pace() == "pace 6,000/min (requests limit binds)"


def test_a_key_shared_with_another_client_is_paced_by_the_part_that_comes_back():
    pacer, clock = pacer_and_clock()
    server = Server(6000, level=500, theirs=0.4)  # 100 a second, 40 of which another client takes
    serve(pacer, server, 2000)
    assert pacer.pace() == "pace 3,600/min (requests limit binds)" or 3300 <= per_minute(pacer.pace()) <= 3700
    assert server.refused <= 10  # 0.5 %


def per_minute(pace: str) -> float:
    return float(pace.split()[1].split("/")[0].replace(",", ""))


def test_debug_reports_the_pace_every_few_seconds():
    lines = []
    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep, report=lines.append)
    send(pacer, headers=limits((600, 10)))
    clock.now += 10
    send(pacer, headers=limits((600, 10)))
    assert lines and lines[-1].startswith("pace 600/min (requests limit binds); ") and "in flight" in lines[-1]


def test_a_long_wait_is_announced_with_what_it_waits_for():
    notices = []
    clock = FakeClock()
    pacer = Pacer(clock=clock, sleep=clock.sleep, announce=notices.append)
    send(pacer, headers=limits((6, 0)))  # one request every 10 s
    send(pacer, headers=limits((6, 0)))
    assert notices and notices[0].startswith("sending paused ")
    assert "waiting for the requests per minute limit to refill (pace 6/min (requests limit binds))" in notices[0]


def test_late_answers_from_a_full_bucket_do_not_count_its_overflow_again():
    pacer, clock = pacer_and_clock()
    first = [pacer.sending(pacer.wait_turn(PROMPT)) for _ in range(START_WINDOW)]  # a full bucket of 50 takes them
    clock.now += 5  # slow answers: the bucket stayed full meanwhile, its refill overflowing
    pacer.finished(first[0], 200, limits((600, 49)))
    burst = 0
    while isinstance(pacer.try_turn(PROMPT), Ticket):  # what the first answer says is left, sent at once
        burst += 1
    for ticket, remaining in zip(first[1:], (48, 47), strict=True):  # the other two answers, admitted as long ago
        pacer.finished(ticket, 200, limits((600, remaining)))
    extra = 0
    while isinstance(pacer.try_turn(PROMPT), Ticket):
        extra += 1
    assert START_WINDOW + burst <= 50 and extra <= 1  # the real bucket is empty: nothing more goes yet
