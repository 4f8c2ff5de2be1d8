"""`ant completions batch`: many prompts in one process, concurrent, paced, in order, resumable.

`command` runs one invocation: it checks the input once, picks where results go, and hands the
lines to `runner`, which keeps --parallel requests in flight over one Transport and writes each
result as soon as every earlier line is done. `results` turns each answer or failure into the
Message Batches result shape and reads such lines back; `journal` keeps the -o FILE safe from a kill,
resumable, and never stripped of a result. With `--via message-batches`, `message_batches` runs the lines
as Message Batches instead (bodies built by `batch_body`, batch ids kept beside FILE by `batch_state`), through
the same checks, result lines and journal.
"""

from ant_cli.commands.batch.command import run_batch

__all__ = ["run_batch"]
