"""`ant completions create`: build, validate, send, and hand the answer to a renderer or stream printer."""

from __future__ import annotations

import contextlib
import datetime

from ant_cli.client.apis import Adapter, adapter_for
from ant_cli.client.ca_bundle import check_ca_bundle
from ant_cli.client.debuglog import DebugLog
from ant_cli.client.stream import EventStream, StreamCut
from ant_cli.client.transport import Budget, Transport
from ant_cli.core.catalog import deprecation_warning
from ant_cli.core.environment import Environment
from ant_cli.core.errors import OutputError, UsageError
from ant_cli.core.plan import Format, OutputPlan, View
from ant_cli.core.types import Api, CompletionArgs, HttpRequest, Invocation
from ant_cli.output import Item, render, request_view
from ant_cli.output.spinner import waiting_indicator
from ant_cli.output.stream_printers import make_printer


def run_create(invocation: Invocation, request: HttpRequest, plan: OutputPlan, env: Environment) -> int:
    """Send one prepared completion request (or print it) and print its result; errors propagate to the boundary."""
    if invocation.settings.via is Api.MESSAGE_BATCHES:
        raise UsageError("--via message-batches is for `ant completions batch`; create answers at once: "
                         "use --via messages")
    if invocation.action != "send":
        return print_request(request, invocation.action, plan, env)
    settings = invocation.settings
    check_ca_bundle(env.variables)
    warn(request, invocation, env)
    debug = DebugLog(env.say) if settings.debug else None
    api = adapter_for(settings.via)
    with waiting_indicator(env, settings.quiet, settings.debug, request.streaming, env.say) as indicator:
        transport = Transport(settings, env.variables, indicator.say, debug)
        if request.streaming:
            return stream_with_retries(transport, request, api, invocation.args.max_items, plan.stream, env)
        response = send_ok(transport, request, Budget(), api)
    print_document(response, api, plan.document, env)
    return 0


def print_request(request: HttpRequest, action: str, plan: OutputPlan, env: Environment) -> int:
    """--dry-run / --curl: the request from the same builder, printed instead of sent (no key needed)."""
    if action == "curl":
        data = request_view.render_curl(request)
    elif plan.request is not Format.TEXT:
        data = render(Item(request_view.request_document(request)), View(plan.request))
    else:
        data = request_view.render_dry_run(request)
    env.write_out(data)
    return 0


def warnings_for(request: HttpRequest, args: CompletionArgs) -> list[str]:
    """Things worth saying on stderr before sending: a model past end-of-life, a flag with no effect."""
    found = [deprecation_warning(str(request.body.get("model")), datetime.date.today())]
    if args.max_items is not None and not request.streaming:
        found.append("--max-items has no effect without --stream")
    return [warning for warning in found if warning]


def warn(request: HttpRequest, invocation: Invocation, env: Environment) -> None:
    if not invocation.settings.quiet:
        for warning in warnings_for(request, invocation.args):
            env.say(f"ant: warning: {warning}")


def send_ok(transport: Transport, request: HttpRequest, budget: Budget, api: Adapter):
    """The response, after retries; an error status becomes an ApiError, with the API's hint if it has one."""
    response = transport.send(request, budget)
    api.check(response, request.body)
    return response


def print_document(response, api: Adapter, view: View, env: Environment) -> None:
    completion = api.whole_completion(response)
    env.write_out(render(Item(completion, response.body, response.request_id), view))


def stream_with_retries(transport: Transport, request: HttpRequest, api: Adapter,
                        max_items: int | None, view: View, env: Environment) -> int:
    """A stream that breaks before anything was printed is sent again, within the same --max-retries budget
    (whatever the format: raw prints events that are not completions)."""
    budget = Budget()
    while True:
        response = send_ok(transport, request, budget, api)
        api.check_stream(response)
        events = EventStream(response, transport.settings.timeout, max_items, transport.debug, api.events())
        try:
            print_stream(events, view, env)
            return 0
        except StreamCut as cut:
            if cut.printed or not transport.wait_to_retry(budget, str(cut)):
                raise


def print_stream(events: EventStream, view: View, env: Environment) -> None:
    """Each network read's events printed with one write and flush; the output ended cleanly whatever happens."""
    printer = make_printer(view, events.response.request_id)
    printed = False
    try:
        for read in events:
            data = b"".join([printer.event(*event) for event in read])
            printed = printed or bool(data)
            env.write_out(data)
    except StreamCut as cut:
        cut.printed = printed
        raise
    finally:
        events.close()
        with contextlib.suppress(OSError, ValueError, OutputError):
            env.write_out(printer.finish(events.completed))
