"""`ant completions batch`: its options, parsed into a BatchInvocation."""

from __future__ import annotations

import click

from ant_cli.cli.base import CONTEXT, AntCommand
from ant_cli.cli.options import MODELS_HELP, completion_args, global_options, line_default_options, merged_settings
from ant_cli.core.exit_codes import exit_status_help
from ant_cli.core.types import BatchInvocation, BatchOptions

EPILOG = f"""Input: FILE (default stdin), JSONL, one request per line in either shape:
  {{"custom_id": "q-1", "params": {{"prompt": "...", "temperature": 0}}}}
  {{"prompt": "...", "max_tokens_to_sample": 64}}   (custom_id: its line number)
  Line defaults fill what a line leaves out; a line's own values win.

Output: JSONL, one result per input line, in input order:
  {{"custom_id": "q-1", "result": {{"type": "succeeded", "completion": {{...}}}}}}
  {{"custom_id": "q-2", "result": {{"type": "errored", "error": {{...}}}}}}

Example:
  ant completions batch prompts.jsonl --model claude-2.1 \\
      --max-tokens-to-sample 256 -o results.jsonl
  jq -r 'select(.result.type == "succeeded")
         | .result.completion.completion' results.jsonl

Message Batches (--via message-batches): half the price, results within 24 hours.
  The lines are translated as for --via messages and sent as Message Batches; the
  batch ids are kept in FILE.batches the moment each is created. Ctrl-C leaves them
  running on the server: --resume collects them, --resume --cancel cancels them.
  Results also come as {{"type": "canceled"}} and {{"type": "expired"}}.
  ant --via message-batches completions batch prompts.jsonl \\
      --model claude-haiku-4-5 --max-tokens-to-sample 256 -o results.jsonl

{MODELS_HELP}

{exit_status_help()}
"""

MAX_PARALLEL = 10_000  # the most requests a batch keeps in flight, whatever the limits allow

# Global options a batch refuses (it always writes JSONL results; jq selects from them): parsed, not listed.
NOT_FOR_BATCH = ("output_format", "error_format", "transform", "error_transform", "raw_output")


@click.command("batch", cls=AntCommand, context_settings=CONTEXT, epilog=EPILOG)
@click.argument("path", metavar="[FILE]", default="-", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--input-format", type=click.Choice(("jsonl", "text")), default="jsonl", show_default=True,
              help="jsonl: one request object per line; text: one prompt's human text per line.")
@click.option("--parallel", type=click.IntRange(1, MAX_PARALLEL), default=BatchOptions().parallel, show_default=True,
              metavar="N", help="At most N requests in flight (the rate limits set how many are; 1 to "
              f"{MAX_PARALLEL:,}).")
@click.option("--max-rpm", type=click.IntRange(min=1), metavar="N",
              help="Start at most N requests in any minute, spread evenly (a cap of your own below the key's limit).")
@click.option("--max-input-tpm", type=click.IntRange(min=1), metavar="N",
              help="Send at most N input tokens (estimated from the prompt) in any minute, spread evenly.")
@click.option("--max-output-tpm", type=click.IntRange(min=1), metavar="N",
              help="Send at most N output tokens (counted by max tokens) in any minute, spread evenly.")
@click.option("-o", "--output", type=click.Path(dir_okay=False), metavar="FILE",
              help="Write results to FILE (journaled as they arrive, ordered when done) instead of stdout.")
@click.option("--resume", is_flag=True, help="With --output: keep FILE's succeeded results, send the other lines.")
@click.option("--drop-foreign", is_flag=True,
              help="With --resume: drop FILE's results for custom_ids the input does not have (refused without it).")
@click.option("--overwrite", is_flag=True, help="With --output: replace an existing FILE.")
@click.option("--dry-run", is_flag=True, help="Print each request that would be sent (credentials redacted) as JSONL.")
@click.option("--cancel", is_flag=True,
              help="With --via message-batches and --resume or --attach: cancel those batches and write their "
                   "results (canceled where not run); send no new lines.")
@click.option("--attach", multiple=True, metavar="ID",
              help="With --via message-batches: collect Message Batch ID (created for this input by a run "
                   "without -o) rather than sending its lines again; repeatable.")
@line_default_options
@global_options(with_env=False, hidden=NOT_FOR_BATCH)
@click.pass_context
def batch(ctx, path, input_format, parallel, max_rpm, max_input_tpm, max_output_tpm, output, resume, drop_foreign,
          overwrite, dry_run, cancel, attach, **params):
    """[Legacy] Create a Text Completion for each line of FILE (JSONL; default stdin), concurrently.

    Sends as fast as the key's rate limits allow (learned from the answers' headers), with as
    many requests in flight as that takes. Results come out in input order, one JSON line per
    input line. With -o, a killed or interrupted run is picked up by --resume.
    """
    options = BatchOptions(path, input_format, parallel, max_rpm, output, resume, overwrite, dry_run, drop_foreign,
                           max_input_tpm, max_output_tpm, cancel, tuple(attach))
    return BatchInvocation(completion_args(params), merged_settings(ctx), options)
