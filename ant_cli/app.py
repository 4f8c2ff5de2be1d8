"""The command's work, free of click: build, validate, send, and hand the answer to a renderer."""

from __future__ import annotations

import datetime
import shutil
from typing import NamedTuple

from ant_cli.build import assemble_body, build_request
from ant_cli.catalog import deprecation_warning
from ant_cli.environment import Environment
from ant_cli.errors import ApiError
from ant_cli.output import Item, View, effective_format, render
from ant_cli.redact import register_secret
from ant_cli.request import CompletionArgs, HttpRequest, Settings
from ant_cli.validate import check_header_value, check_max_items, validate_body, validate_settings


class Invocation(NamedTuple):
    """What the click layer hands over: the parsed command line, nothing of click itself.

    `action` is "send", or "dry-run"/"curl" to print the built request instead.
    """

    args: CompletionArgs
    settings: Settings
    action: str = "send"


def prepare_request(args: CompletionArgs, settings: Settings, env: Environment,
                    need_credentials: bool = True) -> HttpRequest:
    """Everything before sending: inputs merged and checked, the request built. Raises UsageError."""
    register_secret(settings.api_key)
    register_secret(settings.auth_token)
    validate_settings(settings, need_credentials=False)
    body, betas = assemble_body(args, env)
    validate_body(body, args.prompt_check)
    for beta in betas:
        check_header_value("--beta", beta)
    check_max_items(args.max_items)
    validate_settings(settings, need_credentials=need_credentials)
    return build_request(body, betas, settings)


def print_request(invocation: Invocation, env: Environment) -> int:
    """--dry-run / --curl: the request from the same builder, printed instead of sent (no key needed)."""
    from ant_cli.output import request_view

    request = prepare_request(invocation.args, invocation.settings, env, need_credentials=False)
    if invocation.action == "curl":
        data = request_view.render_curl(request)
    elif invocation.settings.output_format in ("json", "jsonl", "yaml"):
        view = View(invocation.settings.output_format)
        data = render(Item(request_view.request_document(request)), view)
    else:
        data = request_view.render_dry_run(request)
    env.write_out(data)
    return 0


def output_view(fmt: str, settings: Settings, env: Environment, transform: str | None) -> View:
    width = shutil.get_terminal_size((80, 24)).columns if env.stdout_isatty else 80
    return View(effective_format(fmt, env.stdout_isatty), transform, settings.raw_output,
                env.color_allowed, width)


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


def run_create(invocation: Invocation, env: Environment) -> int:
    """Send one completion request and print its result; errors propagate to the boundary."""
    if invocation.action != "send":
        return print_request(invocation, env)
    settings = invocation.settings
    request = prepare_request(invocation.args, settings, env)
    # Imported only once the input is known good, so usage errors never pay for requests.
    from ant_cli.debuglog import DebugLog
    from ant_cli.spinner import waiting_indicator
    from ant_cli.transport import Transport

    warn(request, invocation, env)
    debug = DebugLog(env.say) if settings.debug else None
    with waiting_indicator(env, settings.quiet, settings.debug, request.streaming, env.say) as indicator:
        transport = Transport(settings, env.variables, lambda text: indicator.say(f"ant: {text}"), debug)
        if request.streaming:
            return stream_with_retries(transport, request, invocation, env, debug)
        response = send_ok(transport, request, settings, env)
    print_document(response, settings, env)
    return 0


def send_ok(transport, request: HttpRequest, settings: Settings, env: Environment):
    """The response, after retries; an error status becomes an ApiError."""
    from ant_cli.transport import error_for

    response = transport.send(request)
    if not response.ok:
        raise with_error_view(error_for(response), settings, env)
    return response


def stream_with_retries(transport, request: HttpRequest, invocation: Invocation, env: Environment, debug) -> int:
    """A stream that breaks before any event was printed is sent again (within --max-retries)."""
    from ant_cli.streaming import StreamCut, print_stream

    while True:
        response = send_ok(transport, request, invocation.settings, env)
        try:
            return print_stream(response, invocation, env, debug)
        except StreamCut as cut:
            if cut.events or not transport.may_retry(str(cut)):
                raise


def print_document(response, settings: Settings, env: Environment) -> None:
    from ant_cli.api_errors import parse_json, summarize

    document = parse_json(response.body)
    if document is None:
        message = summarize(response.status, response.reason, None, response.body,
                            response.headers.get("content-type", ""))
        raise ApiError(message, 200, response.body, None, response.request_id)
    item = Item(document, response.body, response.request_id)
    env.write_out(render(item, output_view(settings.output_format, settings, env, settings.transform)))


def with_error_view(error: ApiError, settings: Settings, env: Environment) -> ApiError:
    """Attach the --format-error view unless the user wants the one-line summary (auto/text)."""
    if settings.error_format not in ("auto", "text") or settings.error_transform:
        fmt = "json" if settings.error_format in ("auto", "text") else settings.error_format
        error.error_view = View(fmt, settings.error_transform, settings.raw_output, False, 80)
    return error
