"""`--format pretty` (and `auto` on a terminal): a rich view of the whole completion, never truncated.

The only module that imports rich, and only when this view is used.
"""

from __future__ import annotations

import io

from ant_cli.output.encoding import utf8_text


def _console(view):
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        force_terminal=view.color,
        no_color=not view.color,
        color_system="standard" if view.color else None,
        width=view.width,
        highlight=False,
        soft_wrap=False,
    )


def _completion_view(document: dict, request_id: str | None):
    """The completion text in a panel titled with model and stop reason; ids on a line below, never cut."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    title = f"completion · {document.get('model', '?')} · stop: {document.get('stop_reason') or '-'}"
    ids = [f"id {document.get('id', '?')}"] + ([f"request-id {request_id}"] if request_id else [])
    panel = Panel(Text(document.get("completion") or "", overflow="fold"), title=title, title_align="left")
    return Group(panel, Text("  ".join(ids), style="dim", overflow="fold"))


def _value_renderable(value):
    import json

    from rich.json import JSON
    from rich.text import Text

    if isinstance(value, str):
        return Text(value, overflow="fold")
    return JSON(json.dumps(value, ensure_ascii=False))


def render(value, item, view) -> bytes:
    console = _console(view)
    if not view.transform and isinstance(value, dict) and "completion" in value:
        console.print(_completion_view(value, item.request_id))
    else:
        console.print(_value_renderable(value))
    return utf8_text(console.file.getvalue())


def stream_footer(document: dict, request_id: str | None, view) -> bytes:
    """The line shown under a streamed completion on a terminal: stop reason, model and ids."""
    from rich.text import Text

    console = _console(view)
    parts = [f"stop: {document.get('stop_reason') or '-'}", f"model {document.get('model', '?')}",
             f"id {document.get('id', '?')}"] + ([f"request-id {request_id}"] if request_id else [])
    console.print(Text(" · ".join(parts), style="dim", overflow="fold"))
    return utf8_text(console.file.getvalue())
