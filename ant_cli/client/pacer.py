"""Pacing shared by every sender of a batch: a model of the key's rate-limit buckets, fed by every answer.

The API limits requests, input tokens and output tokens per minute, each a token bucket that refills
continuously (https://docs.anthropic.com/en/api/rate-limits). Every answer's `anthropic-ratelimit-*` headers
give each bucket's limit and what remained when the request was admitted; from that, what the batch sent since
and the refill since, the pacer keeps its own level of each bucket. A send waits until every bucket has room
for its cost (one request; its prompt's estimated input tokens; its max tokens as output tokens), which is the
refill that one request needs, never the reset time (when a bucket would be full again).

Before an answer says what the limits are, three requests are in flight (the first of their answers comes
soonest), and one more per answer that does not say.
A key shared with another client shows as less remaining than the model expects: the pacer measures the part
of each refill that reaches the batch and paces by it; a 429 cuts that part by 30 % (once per round trip) and
each success adds back a little. A 429, 503 or 529 with a retry hint pauses every new send for that hint,
never longer. The user's own caps (--max-rpm and the token caps) are buckets of their own that hold one
unit, so what they cap is spread evenly.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Callable, Mapping, NamedTuple

from ant_cli.client.retry import MAX_HINT, hinted_delay

PAUSING_STATUSES = (429, 503, 529)
FAMILIES = ("requests", "input-tokens", "output-tokens")
NAMES = {"requests": "requests", "input-tokens": "input tokens", "output-tokens": "output tokens"}
USER_CAPS = {"requests": "--max-rpm", "input-tokens": "--max-input-tpm", "output-tokens": "--max-output-tpm"}
START_WINDOW = 3  # requests in flight before any answer has said what the limits are
SHARED = 0.97  # below this part of the refill, the key is shared, and the batch keeps as much headroom
CUT, GROWTH, FLOOR = 0.7, 0.002, 0.05  # a 429's cut of the share; what each success adds back; the least share
CHARS_PER_TOKEN = 4.0  # a first estimate of input tokens, until answers report their usage
NEARLY_FULL = 0.9  # a bucket this full may have overflowed: the refill it waited for did not all count
SHARE_WINDOW = 2.0  # seconds between the two answers the measured share compares
GAIN = 0.25  # how far one answer moves the model's level towards the level it implies
REORDER = 0.25  # seconds by which sends may reach the API in another order than they were admitted here
NO_PACE = 10_000_000  # requests per minute no batch reaches: a limit this high does not pace anything
REPORT_EVERY = 5.0  # seconds between --debug pace lines
SHOWN_WAIT, ANNOUNCE_EVERY = 1.0, 10.0  # a wait worth a notice, and the least time between two notices


def prompt_chars(body: Mapping) -> int:
    """The prompt's length in characters (Text Completions' prompt, or a Messages body's system and turns)."""
    prompt = body.get("prompt")
    if isinstance(prompt, str):
        return len(prompt)
    parts = [body.get("system") or "", body.get("messages") or ""]
    return sum(len(part) if isinstance(part, str) else len(json.dumps(part)) for part in parts)


def max_output(body: Mapping) -> int:
    value = body.get("max_tokens_to_sample", body.get("max_tokens"))
    return value if isinstance(value, int) and value > 0 else 0


class Ticket(NamedTuple):
    """One admitted send: when (admitted, then sent), its cost per family, and each family's total cost that
    went before it (admitted, then sent)."""

    sent: float
    costs: tuple[float, ...]
    spent_before: tuple[float, ...]
    chars: int
    informed: bool = True  # whether the limits were known when it was admitted


class Bucket:
    """The batch's model of one bucket: a limit (learned, or the user's), a level, a refill per second."""

    def __init__(self, limit: float | None = None, capacity: float | None = None):
        self.limit = limit  # per minute; None until an answer says
        self.capacity = capacity if capacity is not None else (limit or 0.0)
        self.level = self.capacity
        self.share = 1.0  # the part of the refill that reaches this batch (measured from the answers)
        self.aimd = 1.0  # cut by 429s, grown back by successes
        self.spent = 0.0  # total cost of the sends admitted here
        self.sent = 0.0  # total cost of those that went out to the API
        self.reference: tuple[float, float, float] | None = None  # (sent, remaining, spent before) of an answer
        self.known = False  # whether an answer has set the level yet

    @property
    def rate(self) -> float:
        """Refill per second that the batch may use."""
        return (self.limit or 0.0) / 60.0 * min(self.share, self.aimd)

    def refill(self, seconds: float) -> None:
        self.level = min(self.capacity, self.level + seconds * self.rate)

    def wait_for(self, cost: float) -> float:
        """Seconds until the bucket has room for `cost` (a cost over the capacity needs a full bucket)."""
        if self.limit is None:
            return 0.0
        missing = min(cost, self.capacity) - self.level
        if missing <= 1e-9:
            return 0.0
        return missing / self.rate if self.rate > 0 else MAX_HINT

    def spend(self, cost: float) -> None:
        self.level -= cost
        self.spent += cost

    def went_out(self, cost: float) -> float:
        """Count a send's cost as gone out to the API; the total that went out before it."""
        before, self.sent = self.sent, self.sent + cost
        return before

    def learn(self, limit: float, remaining: float, ticket: Ticket, index: int, now: float) -> None:
        """An answer's limit and remaining (as admitted, `ticket.sent`): the level they imply now, less what
        was admitted here and did not go out before this send, and with the refill since, replaces the model's."""
        cost, before = ticket.costs[index], ticket.spent_before[index]
        self.limit = limit
        self.capacity = max(self.capacity, remaining + cost)
        self.measure_share(ticket.sent, remaining, before + cost)
        sent_since = self.spent - before - cost
        # Less a margin: a send admitted here before this one may reach the API after it, uncounted in `remaining`.
        margin = cost + self.rate * REORDER
        # The refill is not capped at the capacity before what went out since is taken off: a batch sending at
        # the limit keeps the bucket far from full, and capping first would count the refill of a long wait
        # against every send made meanwhile. But a bucket that was nearly full when this request was admitted
        # overflowed while it waited: what went out since came out of a full bucket, not out of that refill.
        refilled = remaining + self.rate * max(0.0, now - ticket.sent)
        if remaining + cost >= self.capacity * NEARLY_FULL:
            refilled = min(self.capacity, refilled)
        implied = min(self.capacity, refilled - sent_since) - margin
        # One answer's word is noisy (how much of what went out before it had arrived is a guess): move part way.
        self.level += GAIN * (implied - self.level) if self.known else implied - self.level
        self.known = True

    def measure_share(self, sent: float, remaining: float, spent: float) -> None:
        """The part of the refill that reached this bucket between two answers SHARE_WINDOW apart: what came
        back (remaining went up by it, after what the batch spent) over the full refill. Not while the bucket
        may have been full, where the refill was not counted."""
        reference = self.reference
        full = self.capacity * NEARLY_FULL
        if reference is None or remaining + 1 >= full or reference[1] + 1 >= full:
            self.reference = (sent, remaining, spent)
            return
        elapsed = sent - reference[0]
        if elapsed < SHARE_WINDOW or not self.limit or self.limit / 60.0 * elapsed < 50:
            return  # too soon to tell the refill from the rounding of `remaining`
        came_back = remaining - reference[1] + spent - reference[2]
        measured = max(FLOOR, min(1.0, came_back / (self.limit / 60.0 * elapsed)))
        if measured < SHARED:
            measured *= SHARED  # someone else spends from this bucket too: leave room for their unevenness
        self.share = 0.5 * self.share + 0.5 * measured
        self.reference = (sent, remaining, spent)


def user_cap(per_minute: int | None) -> Bucket | None:
    """The user's own cap: a bucket one unit deep, so sends are spread evenly rather than in bursts."""
    return Bucket(per_minute, capacity=1.0) if per_minute else None


class Pacer:
    """Thread-safe gate every attempt passes through (`try_turn`, or `wait_turn` that blocks until it may),
    fed by what answers say (`finished`)."""

    def __init__(self, max_rpm: int | None = None, max_input_tpm: int | None = None,
                 max_output_tpm: int | None = None, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 report: Callable[[str], None] | None = None, announce: Callable[[str], None] | None = None):
        self.clock, self.wall, self.sleep = clock, wall, sleep
        self.report, self.announce = report, announce  # --debug's pace lines; a notice when a long wait begins
        self.lock = threading.Lock()
        self.turnstile = threading.Lock()  # one sender at a time waits for room; the others queue here, asleep
        self.buckets = {family: Bucket() for family in FAMILIES}
        self.caps = dict(zip(FAMILIES, map(user_cap, (max_rpm, max_input_tpm, max_output_tpm)), strict=True))
        self.stamp = clock()
        self.paused_until = 0.0
        self.in_flight = 0
        self.window: float | None = START_WINDOW  # None once the limits are known
        self.chars_per_token = CHARS_PER_TOKEN
        self.latency = 0.0  # seconds from send to answer, averaged
        self.cut_at = -1.0  # when a 429 last cut the share: older refusals do not cut it again
        self.pauses = 0  # how many times an answer paused the batch (for the summary)
        self.reported = 0.0
        self.announced = -ANNOUNCE_EVERY

    # ---- sending ----------------------------------------------------------------------------------------

    def wait_turn(self, body: Mapping | None = None, stop: threading.Event | None = None) -> Ticket | None:
        """Block until every bucket has room for this request and no pause is in force; claim its cost.
        A set `stop` ends the wait at once with None (the caller then gives up its send)."""
        # Asleep until the sender ahead is through (no polling: many may queue here); a stopping batch
        # empties the queue, as each one in turn finds `stop` set and leaves at once.
        with self.turnstile:
            while stop is None or not stop.is_set():
                turn = self.try_turn(body)
                if isinstance(turn, Ticket):
                    return turn
                nap = min(turn, 0.25)  # short naps, so a pause or a correction made meanwhile is seen
                if stop is None:
                    self.sleep(nap)
                else:
                    stop.wait(nap)
        return None

    def try_turn(self, body: Mapping | None = None) -> Ticket | float:
        """This request's ticket, its cost claimed, when every bucket has room and no pause is in force;
        else the seconds until one may (said first, when that is a long wait for a limit to refill)."""
        costs, chars = self.costs_of(body or {})
        with self.lock:
            wait, why = self.wait_and_why(costs)
            if wait <= 0:
                return self.admit(costs, chars)
        self.announce_wait(wait, why)
        return wait

    def sending(self, ticket: Ticket | None) -> Ticket | None:
        """The ticket as its request goes out: the answer's `remaining` counts what reached the API before it,
        which is what went out before it more nearly than what was admitted here before it."""
        if ticket is None:
            return None
        with self.lock:
            sent_before = tuple(self.buckets[family].went_out(ticket.costs[index])
                                for index, family in enumerate(FAMILIES))
            return ticket._replace(sent=self.clock(), spent_before=sent_before)

    def announce_wait(self, wait: float, why: str) -> None:
        """Say so when sending stops for a while for a limit to refill (a retry hint's pause is the
        transport's to tell), at most once every ANNOUNCE_EVERY seconds."""
        now = self.clock()
        if self.announce is None or wait < SHOWN_WAIT or why == "rate limit" or now - self.announced < ANNOUNCE_EVERY:
            return
        self.announced = now
        self.announce(f"sending paused {wait:.1f}s: waiting for the {why} limit to refill ({self.pace()})")

    def costs_of(self, body: Mapping) -> tuple[tuple[float, ...], int]:
        chars = prompt_chars(body)
        return (1.0, chars / self.chars_per_token, float(max_output(body))), chars

    def admit(self, costs: tuple[float, ...], chars: int) -> Ticket:
        """Spend this send's cost from every bucket (the lock is held)."""
        now = self.clock()
        spent_before = tuple(self.buckets[family].spent for family in FAMILIES)
        for index, family in enumerate(FAMILIES):
            self.buckets[family].spend(costs[index])
            cap = self.caps[family]
            if cap is not None:
                cap.spend(costs[index])
        self.in_flight += 1
        self.report_pace(now)
        return Ticket(now, costs, spent_before, chars, informed=self.window is None)

    def wait_and_why(self, costs: tuple[float, ...]) -> tuple[float, str]:
        """(seconds until a send of these costs may start, what holds it up); the lock is held."""
        now = self.clock()
        self.advance(now)
        waits = [(self.paused_until - now, "rate limit")]
        if self.window is not None and self.in_flight >= self.window:
            waits.append((0.05, "first answers"))  # a short look again: an answer widens the window
        for index, family in enumerate(FAMILIES):
            waits.append((self.buckets[family].wait_for(costs[index]), f"{NAMES[family]} per minute"))
            cap = self.caps[family]
            if cap is not None:
                waits.append((cap.wait_for(costs[index]), USER_CAPS[family]))
        return max(waits)

    def advance(self, now: float) -> None:
        elapsed, self.stamp = now - self.stamp, now
        for family in FAMILIES:
            self.buckets[family].refill(elapsed)
            cap = self.caps[family]
            if cap is not None:
                cap.refill(elapsed)

    # ---- what answers say -------------------------------------------------------------------------------

    def finished(self, ticket: Ticket | None, status: int | None = None, headers: Mapping[str, str] | None = None,
                 body: bytes | None = None) -> None:
        """An attempt admitted as `ticket` ended: with an answer (status, headers, body read or None), or
        without one (a network failure: all None)."""
        if ticket is None:
            return
        with self.lock:
            now = self.clock()
            self.in_flight -= 1
            if status is None or headers is None:
                return
            self.advance(now)
            self.latency = 0.8 * self.latency + 0.2 * (now - ticket.sent) if self.latency else now - ticket.sent
            learned = self.learn(headers, ticket, now)
            if self.window is not None:
                self.window = None if learned else self.window + 1
            if status == 429:
                self.cut(ticket)
            elif 200 <= status < 300:
                self.grow()
                self.correct_estimate(ticket, body)

    def learn(self, headers: Mapping[str, str], ticket: Ticket, now: float) -> bool:
        """Each family's limit and remaining from the answer's headers; whether any were there."""
        learned = False
        for index, family in enumerate(FAMILIES):
            limit = number(headers.get(f"anthropic-ratelimit-{family}-limit"))
            remaining = number(headers.get(f"anthropic-ratelimit-{family}-remaining"))
            if limit and remaining is not None:
                self.buckets[family].learn(limit, remaining, ticket, index, now)
                learned = True
        return learned

    def cut(self, ticket: Ticket) -> None:
        """A 429: less of the refill is ours than the model said; once per round trip, not once per refusal,
        and not for a send made before the limits were known (the model had nothing to go by)."""
        if ticket.sent <= self.cut_at or not ticket.informed:
            return
        self.cut_at = self.clock()
        for bucket in self.buckets.values():
            bucket.aimd = max(FLOOR, min(bucket.aimd, bucket.share) * CUT)

    def grow(self) -> None:
        for bucket in self.buckets.values():
            bucket.aimd = min(1.0, bucket.aimd + GROWTH)

    def correct_estimate(self, ticket: Ticket, body: bytes | None) -> None:
        """Characters per input token, from the `usage` an answer reports (Messages answers do)."""
        tokens = input_tokens_used(body)
        if tokens and ticket.chars:
            self.chars_per_token = 0.9 * self.chars_per_token + 0.1 * (ticket.chars / tokens)

    def after_refusal(self, status: int, headers: Mapping[str, str]) -> None:
        """A 429, 503 or 529 with a retry hint pauses every new send until the hint has passed, never longer
        (the API says earlier retries fail)."""
        hint = hinted_delay(headers, self.wall())
        if status in PAUSING_STATUSES and hint is not None:
            self.pause(hint)

    def pause(self, seconds: float) -> None:
        """No new send starts for `seconds` (at most 60) from now."""
        seconds = min(seconds, MAX_HINT)
        if seconds <= 0:
            return
        with self.lock:
            until = self.clock() + seconds
            if until > self.paused_until:
                self.paused_until = until
                self.pauses += 1

    # ---- what the batch shows ---------------------------------------------------------------------------

    def holdup(self) -> tuple[float, str] | None:
        """(seconds until the next send may start, why), or None when one may start now."""
        with self.lock:
            wait, why = self.wait_and_why(self.typical_costs())
        return (wait, why) if wait > 0 else None

    def wait_left(self) -> float:
        """Seconds until the next send may start (0 when it may start now)."""
        holdup = self.holdup()
        return holdup[0] if holdup else 0.0

    def typical_costs(self) -> tuple[float, ...]:
        return tuple(bucket.spent / max(1.0, self.buckets["requests"].spent) for bucket in self.buckets.values())

    def pace(self) -> str:
        """The requests per minute the binding limit allows, and which limit binds; "" before any is known."""
        with self.lock:
            return self.describe_pace()

    def describe_pace(self) -> str:
        costs = self.typical_costs()
        paces = []
        for index, family in enumerate(FAMILIES):
            for bucket, name in ((self.buckets[family], f"{NAMES[family]} limit"), (self.caps[family],
                                                                                   USER_CAPS[family])):
                if bucket is not None and bucket.limit and costs[index] > 0:
                    paces.append((bucket.rate * 60 / costs[index], name))
        if not paces or min(paces)[0] >= NO_PACE:
            return ""
        per_minute, why = min(paces)
        return f"pace {per_minute:,.0f}/min ({why} binds)"

    def report_pace(self, now: float) -> None:
        """Every few seconds, for --debug: the pace, what binds, what is in flight (the lock is held)."""
        if self.report is None or now - self.reported < REPORT_EVERY:
            return
        self.reported = now
        pace = self.describe_pace() or ("no limit binds" if self.window is None else "limits not known yet")
        self.report(f"{pace}; {self.in_flight} in flight, latency {self.latency:.2f}s")


def number(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def input_tokens_used(body: bytes | None) -> int | None:
    """`usage.input_tokens` of a JSON answer, if it has one."""
    if not body or b'"input_tokens"' not in body:
        return None
    try:
        usage = json.loads(body).get("usage") or {}
    except (ValueError, AttributeError):
        return None
    tokens = usage.get("input_tokens") if isinstance(usage, dict) else None
    return tokens if isinstance(tokens, int) and tokens > 0 else None
