"""Everything before sending, in the order a user's mistakes should be reported."""

from __future__ import annotations

from ant_cli.core.environment import Environment
from ant_cli.core.types import CompletionArgs, HttpRequest, Settings
from ant_cli.request.build import assemble_body, build_request
from ant_cli.request.validate import check_header_value, check_max_items, validate_body, validate_settings


def check_settings(settings: Settings, need_credentials: bool = True) -> None:
    """The settings' own checks (credentials are never echoed: the entry point's Redactor masks them)."""
    validate_settings(settings, need_credentials=need_credentials)


def prepare_request(args: CompletionArgs, settings: Settings, env: Environment,
                    need_credentials: bool = True) -> HttpRequest:
    """Inputs merged and checked, the request built. Raises UsageError.

    Malformed settings are reported before the body; a missing key only after it, so that a
    wrong flag is named even when no key is set yet.
    """
    check_settings(settings, need_credentials=False)
    body, betas = assemble_body(args, env)
    validate_body(body, args.prompt_check)
    for beta in betas:
        check_header_value("--beta", beta)
    check_max_items(args.max_items)
    validate_settings(settings, need_credentials=need_credentials)
    return build_request(body, betas, settings)
