"""The click layer: options parsed into plain objects, nothing more.

Global options are declared on both `ant` and `ant completions create`, so they may stand before or
after the subcommand (the reference example puts --api-key after it); a value given after wins.
The callback returns an `Invocation` and `main` runs it, so no work happens inside click.
"""

from __future__ import annotations

import click
from click.core import ParameterSource

from ant_cli import PROG, __version__
from ant_cli.catalog import KNOWN_BETAS, KNOWN_MODELS, OUTPUT_FORMATS
from ant_cli.exit_codes import exit_status_help
from ant_cli.request import CompletionArgs, Settings

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class GlobalOption(click.Option):
    """An option accepted before or after the subcommand; listed under "Global options"."""


class SectionedHelp:
    """Help with command options and global options in separate sections and a verbatim epilog."""

    def format_options(self, ctx, formatter):
        for title, wanted in (("Options", False), ("Global options", True)):
            rows = [p.get_help_record(ctx) for p in self.get_params(ctx) if isinstance(p, GlobalOption) == wanted]
            rows = [row for row in rows if row]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def format_epilog(self, ctx, formatter):
        if self.epilog:
            formatter.write("\n" + self.epilog.rstrip() + "\n")


class NoSubcommand(click.ClickException):
    """`ant` or `ant completions` alone: the help goes to stderr, as a usage error (exit 2)."""

    exit_code = 2


class AntGroup(SectionedHelp, click.Group):
    def parse_args(self, ctx, args):
        if not args and not ctx.resilient_parsing:  # help on stderr with the usage status, not on stdout
            raise NoSubcommand(ctx.get_help())
        return super().parse_args(ctx, args)


class AntCommand(SectionedHelp, click.Command):
    pass


def complete_at_file(ctx, param, incomplete):
    """After `@`, file names (kept behind the `@`), as the value is a file reference."""
    if not incomplete.startswith("@") or incomplete.startswith("@-"):
        return []
    import glob
    import os

    prefix = ""
    path = incomplete[1:]
    for scheme in ("file://", "data://"):
        if path.startswith(scheme):
            prefix, path = scheme, path[len(scheme):]
    matches = sorted(glob.glob(glob.escape(path) + "*"))
    return ["@" + prefix + match + ("/" if os.path.isdir(match) else "") for match in matches]


def complete_models(ctx, param, incomplete):
    return complete_at_file(ctx, param, incomplete) or [name for name in KNOWN_MODELS if name.startswith(incomplete)]


def complete_betas(ctx, param, incomplete):
    return complete_at_file(ctx, param, incomplete) or [name for name in KNOWN_BETAS if name.startswith(incomplete)]


def _global_option_specs():
    """(decls, kwargs, envvar) of every global option, in help order."""
    fmt = click.Choice(OUTPUT_FORMATS, case_sensitive=False)
    return [
        (("--api-key",), dict(metavar="KEY", help="API key, sent as x-api-key. Prefer the variable: "
                              "a key on the command line is visible in ps and shell history."),
         "ANTHROPIC_API_KEY"),
        (("--auth-token",), dict(metavar="TOKEN", help="Bearer token, sent as Authorization (used when "
                                 "no API key is set)."), "ANTHROPIC_AUTH_TOKEN"),
        (("--base-url",), dict(metavar="URL", help="API base URL (http or https). "
                               "[default: https://api.anthropic.com]"), "ANTHROPIC_BASE_URL"),
        (("--format", "output_format"), dict(type=fmt, default="auto", show_default=True,
                                             help="Output format; auto is pretty on a terminal, json in a pipe."),
         None),
        (("--format-error", "error_format"), dict(type=fmt, default="auto", show_default=True,
                                                  help="How API errors are shown on stderr; auto is one line."),
         None),
        (("--transform",), dict(metavar="PATH", help="Print only this GJSON-style path of the response, "
                                "e.g. completion, stop_reason."), None),
        (("--transform-error",), dict(metavar="PATH", help="Like --transform, for API error bodies."), None),
        (("-r", "--raw-output"), dict(is_flag=True, default=False,
                                      help="Print a selected string without JSON quotes (like jq -r)."), None),
        (("--max-retries",), dict(type=int, default=2, show_default=True, metavar="N",
                                  help="Retries for 408/409/429/5xx and network failures; 0 disables."), None),
        (("--timeout",), dict(type=float, default=600.0, show_default=True, metavar="SECONDS",
                              help="How long to wait for the response (per read for streams)."), None),
        (("--connect-timeout",), dict(type=float, default=10.0, show_default=True, metavar="SECONDS",
                                      help="How long to wait for the connection."), None),
        (("-q", "--quiet"), dict(is_flag=True, default=False,
                                 help="No retry notices or warnings on stderr; errors are still shown."), None),
        (("--debug",), dict(is_flag=True, default=False,
                            help="Log each HTTP attempt on stderr (credentials redacted)."), None),
    ]


GLOBAL_NAMES = ("api_key", "auth_token", "base_url", "output_format", "error_format", "transform",
                "transform_error", "raw_output", "max_retries", "timeout", "connect_timeout", "quiet", "debug")


def global_options(with_env: bool):
    """Decorator adding the global options; only the group's copy reads the environment."""
    def decorate(func):
        for decls, kwargs, envvar in reversed(_global_option_specs()):
            extra = dict(envvar=envvar, show_envvar=True) if with_env and envvar else {}
            func = click.option(*decls, cls=GlobalOption, **kwargs, **extra)(func)
        return func
    return decorate


def merged_settings(ctx: click.Context) -> Settings:
    """Global option values: those given after the subcommand win over those before it or from the env."""
    root = ctx.find_root()
    values = {}
    for name in GLOBAL_NAMES:
        given_here = ctx.get_parameter_source(name) == ParameterSource.COMMANDLINE
        values[name] = ctx.params[name] if given_here else root.params[name]
    values["output_format"] = values["output_format"].lower()
    values["error_format"] = values["error_format"].lower()
    values["error_transform"] = values.pop("transform_error")
    return Settings(**values)


ROOT_EPILOG = f"""Examples:
  export ANTHROPIC_API_KEY=...
  {PROG} completions create --model claude-opus-4-8 --max-tokens-to-sample 256 \\
      --prompt $'\\n\\nHuman: Hello\\n\\nAssistant:' --format text

{exit_status_help()}
"""


@click.group(cls=AntGroup, context_settings=CONTEXT, epilog=ROOT_EPILOG)
@click.version_option(__version__, "-v", "--version", prog_name="ant-cli", message="%(prog)s %(version)s")
@global_options(with_env=True)
def cli(**_):
    """Command-line client for the Anthropic Text Completions API (POST /v1/complete)."""


@cli.group(cls=AntGroup, context_settings=CONTEXT)
def completions():
    """[Legacy] Text Completions."""


CREATE_EPILOG = f"""Values:
  Any string value may be @path to read a file (@file://path, @data://path for base64),
  or @- to read stdin; write \\@ for a literal leading @.
  A JSON or YAML object piped on stdin is merged under the flags (flags win).

Known models:
  {", ".join(KNOWN_MODELS)}

{exit_status_help()}
"""


@completions.command("create", cls=AntCommand, context_settings=CONTEXT, epilog=CREATE_EPILOG)
@click.option("--max-tokens-to-sample", type=int, metavar="INT",
              help="Maximum number of tokens to generate (>= 1). Required.")
@click.option("--model", metavar="MODEL", shell_complete=complete_models,
              help="Model id, free text (e.g. claude-opus-4-8; known ids below). Required.")
@click.option("--prompt", metavar="TEXT", shell_complete=complete_at_file,
              help='Prompt with "\\n\\nHuman:" and "\\n\\nAssistant:" turns. Required.')
@click.option("--metadata", metavar="OBJECT", shell_complete=complete_at_file,
              help="Metadata object, JSON or relaxed YAML: '{user_id: abc}'.")
@click.option("--metadata.user-id", "metadata_user_id", metavar="TEXT", shell_complete=complete_at_file,
              help="metadata.user_id: an opaque id of the end user (<= 256 characters).")
@click.option("--stop-sequence", "stop_sequences", multiple=True, metavar="TEXT", shell_complete=complete_at_file,
              help="Extra stop sequence; repeat for several (order kept).")
@click.option("--temperature", type=float, metavar="FLOAT", help="Randomness, 0 to 1.")
@click.option("--top-k", type=int, metavar="INT", help="Sample from the top K options only (>= 0).")
@click.option("--top-p", type=float, metavar="FLOAT", help="Nucleus sampling, 0 to 1.")
@click.option("--stream/--no-stream", default=None, help="Stream the completion as it is generated.")
@click.option("--max-items", type=int, metavar="N", help="With --stream: stop after N completion events.")
@click.option("--beta", "betas", multiple=True, metavar="NAME", shell_complete=complete_betas,
              help="Beta feature name for the anthropic-beta header; repeatable.")
@click.option("--prompt-check/--no-prompt-check", default=True, show_default=True,
              help="Check the Human/Assistant turns before sending.")
@click.option("--dry-run", "action", flag_value="dry-run",
              help="Print the request (credentials redacted) instead of sending it.")
@click.option("--curl", "action", flag_value="curl",
              help="Print an equivalent curl command (key read from $ANTHROPIC_API_KEY) instead of sending.")
@global_options(with_env=False)
@click.pass_context
def create(ctx, action, **params):
    """[Legacy] Create a Text Completion."""
    from ant_cli.app import Invocation

    names = CompletionArgs._fields
    args = CompletionArgs(**{name: value for name, value in params.items() if name in names})
    return Invocation(args, merged_settings(ctx), action or "send")


SHELLS = ("bash", "zsh", "fish")


@cli.command("completion", cls=AntCommand, context_settings=CONTEXT)
@click.argument("shell", type=click.Choice(SHELLS))
def completion(shell):
    """Print the shell completion script for SHELL (bash, zsh or fish).

    \b
    bash:  eval "$(ant completion bash)"     (or source completions/ant.bash)
    zsh:   eval "$(ant completion zsh)"      (or put completions/ant.zsh in $fpath as _ant)
    fish:  ant completion fish | source     (or copy completions/ant.fish to ~/.config/fish/completions/)
    """
    click.echo(completion_script(shell), nl=False)


def completion_script(shell: str) -> str:
    """The script click generates for `ant`, the same text as the files in completions/."""
    from click.shell_completion import get_completion_class

    script = get_completion_class(shell)(cli, {}, PROG, "_ANT_COMPLETE").source()
    return script if script.endswith("\n") else script + "\n"
