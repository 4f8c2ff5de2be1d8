"""Man pages generated from the click definitions: `python -m ant_cli.cli.manpage man/man1`.

A small generator of our own rather than click-man: the pages need ENVIRONMENT, EXIT STATUS and
EXAMPLES sections that click-man does not write, and it would be one more dependency. The output is
checked in under man/man1/, and a test fails when it differs from what this module generates.
"""

from __future__ import annotations

import os
import sys

import click

from ant_cli import __version__
from ant_cli.cli.base import GlobalOption, LineDefault, section_of
from ant_cli.cli.options import MODELS_NOTE
from ant_cli.cli.root import cli, completions
from ant_cli.core.exit_codes import EXIT_STATUS_TABLE

DATE = "2026-11-21"  # of this manual's release; a fixed date keeps the generated pages stable

ENVIRONMENT = (
    ("ANTHROPIC_API_KEY", "API key, sent as x-api-key (same as --api-key)."),
    ("ANTHROPIC_AUTH_TOKEN", "Bearer token, sent as Authorization when no API key is set (same as --auth-token)."),
    ("ANTHROPIC_BASE_URL", "API base URL, http or https (same as --base-url); default https://api.anthropic.com."),
    ("NO_COLOR", "When set, no colour is used."),
    ("FORCE_COLOR", "When set to anything but 0, colour is used even when stdout is not a terminal."),
    ("HTTPS_PROXY, HTTP_PROXY, NO_PROXY", "Proxy settings, honoured for every request."),
    ("ANT_HTTP_CLIENT", "requests: a batch sends through requests, not its lean HTTP session (as it does anyway "
     "when a proxy variable is set)."),
    ("REQUESTS_CA_BUNDLE, CURL_CA_BUNDLE, SSL_CERT_FILE",
     "A CA bundle (file or directory) to trust instead of the default one (first one set wins); "
     "one that cannot be read or holds no PEM certificate is a usage error (exit 2), reported before anything "
     "is sent."),
)

EXAMPLES = (
    ("Ask for a completion and print only its text:",
     "ant completions create --model claude-2.1 --max-tokens-to-sample 256 \\\n"
     "    --prompt $'\\n\\nHuman: Hello\\n\\nAssistant:' --format text"),
    ("Pick a field with jq:",
     "ant completions create --model claude-2.1 --max-tokens-to-sample 64 \\\n"
     "    --prompt @prompt.txt | jq -r .completion"),
    ("Stream the text as it is generated:",
     "ant completions create --model claude-2.1 --max-tokens-to-sample 512 \\\n"
     "    --prompt @prompt.txt --stream --format text"),
    ("Pipe a YAML body; flags win over its keys:",
     "printf 'model: claude-2.1\\nmax_tokens_to_sample: 64\\n"
     "prompt: \"\\\\n\\\\nHuman: Hi\\\\n\\\\nAssistant:\"\\n' \\\n"
     "    | ant completions create --temperature 0"),
    ("Branch on the exit status in a script:",
     "ant completions create ... --format text > out.txt\ncase $? in 0) ;; 6) echo rate limited ;; *) exit 1 ;; esac"),
    ("Show the request without sending it:",
     "ant completions create --model claude-2.1 --max-tokens-to-sample 8 --prompt @p.txt --dry-run"),
)


def roff(text: str) -> str:
    """Escape text for roff: backslashes, hyphens, and lines that would start a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    return "\n".join("\\&" + line if line[:1] in (".", "'") else line for line in text.split("\n"))


def option_entries(command, ctx, kind: type) -> list[str]:
    """The options (not the arguments, which the SYNOPSIS shows) of one kind, as roff tagged paragraphs."""
    lines = []
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx) if section_of(param) is kind else None
        if record:
            lines += [".TP", f"\\fB{roff(record[0])}\\fR", roff(record[1])]
    return lines


def section(title: str, lines: list[str]) -> list[str]:
    return [f".SH {title}", *lines] if lines else []


BATCH_EXAMPLES = (
    ("Run every prompt of a file, eight at a time, into a results file:",
     "ant completions batch prompts.jsonl --model claude-2.1 --max-tokens-to-sample 256 \\\n"
     "    --parallel 8 -o results.jsonl"),
    ("After a crash or Ctrl-C, send only what has no succeeded result yet:",
     "ant completions batch prompts.jsonl --model claude-2.1 --max-tokens-to-sample 256 \\\n"
     "    -o results.jsonl --resume"),
    ("One prompt per line of plain text; the completions with jq:",
     "ant completions batch --input-format text questions.txt --model claude-2.1 \\\n"
     "    --max-tokens-to-sample 64 | jq -r .result.completion.completion"),
)


def common_tail(examples) -> list[str]:
    environment = []
    for name, meaning in ENVIRONMENT:
        environment += [".TP", f"\\fB{roff(name)}\\fR", roff(meaning)]
    statuses = []
    for code, meaning in EXIT_STATUS_TABLE:
        statuses += [".TP", f"\\fB{int(code)}\\fR", roff(meaning[0].upper() + meaning[1:] + ".")]
    lines = []
    for text, command in examples:
        lines += [".PP", roff(text), ".PP", ".RS 4", ".nf", roff(command), ".fi", ".RE"]
    return section("ENVIRONMENT", environment) + section("EXIT STATUS", statuses) + section("EXAMPLES", lines)


def page(name: str, summary: str, synopsis: str, description: list[str], command: click.Command,
         ctx: click.Context, see_also: str, examples=EXAMPLES) -> str:
    lines = [f'.TH {name.upper()} 1 "{DATE}" "ant-cli {__version__}" "User Commands"',
             ".SH NAME", f"{roff(name)} \\- {roff(summary)}", ".SH SYNOPSIS", synopsis]
    lines += section("DESCRIPTION", description) + section("OPTIONS", option_entries(command, ctx, click.Option))
    lines += section("LINE DEFAULTS", option_entries(command, ctx, LineDefault))
    lines += section("GLOBAL OPTIONS", option_entries(command, ctx, GlobalOption)) + common_tail(examples)
    return "\n".join(lines + section("SEE ALSO", [see_also])) + "\n"


def contexts() -> dict[str, click.Context]:
    """Each command's own context settings (e.g. -h for help), as when the command really runs."""
    root = click.Context(cli, info_name="ant", **cli.context_settings)
    group = click.Context(completions, info_name="completions", parent=root, **completions.context_settings)
    found = {"ant": root}
    for name in completions.list_commands(group):
        command = completions.get_command(group, name)
        assert command is not None
        found[name] = click.Context(command, info_name=name, parent=group, **command.context_settings)
    return found


def root_page(ctx: click.Context) -> str:
    return page(
        "ant", "command-line client for the Anthropic Text Completions API",
        "\\fBant\\fR [\\fIGLOBAL OPTIONS\\fR] \\fBcompletions create\\fR|\\fBbatch\\fR [\\fIOPTIONS\\fR]\n.br\n"
        "\\fBant completion\\fR \\fIbash\\fR|\\fIzsh\\fR|\\fIfish\\fR|\\fIpwsh\\fR",
        [roff("ant sends POST /v1/complete (the legacy Text Completions API) and prints the answer: on "
              "stdout the result only, on stderr every message, warning and error, each error as one line "
              "'ant: error: ...' with a documented exit status. Global options may be given before or after "
              "the subcommand."),
         ".SS Commands", ".TP", "\\fBcompletions create\\fR", "Create a text completion; see "
         "\\fBant\\-completions\\-create\\fR(1).", ".TP", "\\fBcompletions batch\\fR",
         "Create a completion for each line of a file, concurrently; see \\fBant\\-completions\\-batch\\fR(1).",
         ".TP", "\\fBcompletion\\fR \\fISHELL\\fR",
         "Print the shell completion script for bash, zsh, fish or pwsh (PowerShell).",
         ".TP", "\\fB@completion\\fR \\fISHELL\\fR, \\fB@manpages\\fR [\\fB\\-o\\fR \\fIDIR\\fR] "
         "[\\fB\\-\\-no\\-gzip\\fR] [\\fB\\-\\-text\\fR]",
         roff("The official CLI's hidden packaging commands: the completion script, and these pages written "
              "into DIR/man1 (default: man) as NAME.1.gz, plus plain NAME.1 with --text.")],
        cli, ctx, "\\fBant\\-completions\\-create\\fR(1), \\fBant\\-completions\\-batch\\fR(1), "
        "\\fBjq\\fR(1), \\fBcurl\\fR(1)")


def create_page(ctx: click.Context) -> str:
    return page(
        "ant-completions-create", "create a text completion (POST /v1/complete)",
        "\\fBant\\fR [\\fIGLOBAL OPTIONS\\fR] \\fBcompletions create\\fR \\fB\\-\\-model\\fR \\fIMODEL\\fR "
        "\\fB\\-\\-max\\-tokens\\-to\\-sample\\fR \\fIINT\\fR \\fB\\-\\-prompt\\fR \\fITEXT\\fR [\\fIOPTIONS\\fR]",
        [roff("Builds the JSON body from the options (kebab-case flags onto snake_case fields; options not given "
              "are left out), merges a JSON or YAML object piped on stdin under them (flags win), checks every "
              "value before sending, and prints the completion in the chosen --format. Any string value may be "
              "@path (a file's text), @file://path, @data://path (base64) or @- (stdin); write \\@ for a "
              "literal @."),
         ".PP", roff("Values as the official ant reads them: integers may be 0x10, 0o20, 0b10000 or 1_000 (020 is "
                     "octal); boolean flags take --flag=true or --flag=false (also 1/0, t/f, T/F, TRUE/FALSE, "
                     "True/False); --metadata null and --metadata.user-id null send JSON null; a piped "
                     "anthropic-beta key (a name or a list) becomes the anthropic-beta header, as --beta does."),
         ".PP", roff("Formats: auto (pretty on a terminal, json otherwise), json, jsonl, raw, yaml, pretty, text. "
                     "With --stream each event is printed as it arrives; text prints the completion text alone."),
         ".PP", roff(MODELS_NOTE)],
        ctx.command, ctx, "\\fBant\\fR(1), \\fBant\\-completions\\-batch\\fR(1), \\fBjq\\fR(1)")


def batch_page(ctx: click.Context) -> str:
    return page(
        "ant-completions-batch", "create a text completion for each line of a file, concurrently",
        "\\fBant\\fR [\\fIGLOBAL OPTIONS\\fR] \\fBcompletions batch\\fR [\\fIOPTIONS\\fR] [\\fIFILE\\fR]",
        [roff("Reads FILE (default: stdin) as JSONL, one request per line: {\"custom_id\": ..., \"params\": {...}} "
              "as in the Message Batches API, or the parameters alone (custom_id: the line number). The body "
              "options give every line's defaults; a line's own values win; each line is checked as "
              "'ant completions create' checks its flags. Writes one JSON result per input line, in input order: "
              "{\"custom_id\": ..., \"result\": {\"type\": \"succeeded\", \"completion\": {...}}} or "
              "\"errored\" with the API's error body."),
         ".PP", roff("Sending follows the key's rate limits with no flags: each answer's anthropic-ratelimit- headers "
                     "give the requests, input-token and output-token limits and what remains; a send waits until "
                     "every limit has room for it (one request, its prompt's estimated tokens, its max tokens), "
                     "which is the refill it needs, not the reset time. As many requests are in flight as the "
                     "binding limit allows times the time an answer takes, up to --parallel, over one pool of "
                     "kept-alive connections. A key shared with another client slows the pace; a 429, 529 or 503 "
                     "with a retry hint pauses every new send until the hint passes, never longer. --max-rpm, "
                     "--max-input-tpm and --max-output-tpm are caps of your own, spread evenly. A line's own "
                     "error (400, 413, a bad line, retries run out) becomes its errored result; an error that "
                     "would fail every line (401, 403, 404, the network) stops the batch."),
         ".PP", roff("With --output FILE each result is appended and flushed as it arrives; at the end FILE is "
                     "rewritten in input order and renamed into place. After a kill or Ctrl-C, --resume keeps "
                     "FILE's succeeded results and sends only the other lines.")],
        ctx.command, ctx, "\\fBant\\fR(1), \\fBant\\-completions\\-create\\fR(1), \\fBjq\\fR(1)", BATCH_EXAMPLES)


def generate() -> dict[str, str]:
    """{file name: roff text} for every page."""
    ctx = contexts()
    return {"ant.1": root_page(ctx["ant"]), "ant-completions-create.1": create_page(ctx["create"]),
            "ant-completions-batch.1": batch_page(ctx["batch"])}


# os.path rather than pathlib here: nothing else on the way to `ant @manpages` needs pathlib's import.
def write_pages(folder: str) -> list[str]:
    written = []
    for name, text in generate().items():
        written.append(_write(folder, name, text.encode("utf-8")))
    return written


def install_pages(directory: str, compressed: bool, text: bool) -> list[str]:
    """`ant @manpages`: the pages under DIRECTORY/man1, gzipped (reproducibly: no time stamp) and/or plain."""
    import gzip  # only here, for the same reason

    folder = os.path.join(directory, "man1")
    written = []
    for name, page_text in generate().items():
        data = page_text.encode("utf-8")
        if compressed:
            written.append(_write(folder, f"{name}.gz", gzip.compress(data, mtime=0)))
        if text or not compressed:
            written.append(_write(folder, name, data))
    return written


def _write(folder: str, name: str, data: bytes) -> str:
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, name)
    with open(path, "wb") as handle:
        handle.write(data)
    return path


if __name__ == "__main__":
    for path in write_pages(sys.argv[1] if len(sys.argv) > 1 else "man/man1"):
        print(path)
