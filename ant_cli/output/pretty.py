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


def facts(document: dict, request_id: str | None) -> list[str]:
    """What both pretty views end with, streamed or not: the stop reason, model and ids, each labelled."""
    found = [f"stop: {document.get('stop_reason') or '-'}", f"model {document.get('model', '?')}",
             f"id {document.get('id', '?')}"]
    return found + ([f"request-id {request_id}"] if request_id else [])


def fact_lines(parts: list[str], width: int) -> list[str]:
    """The facts joined by ` · `, lines broken only between two facts; a fact wider than a line gets its
    label and its value on lines of their own, so that no line ends in a dangling space."""
    lines, current = [], ""
    for part in parts:
        joined = f"{current} · {part}" if current else part
        if current and len(joined) > width:
            lines.append(current)
            joined = part
        if len(joined) > width and " " in joined:
            lines += joined.split(" ", 1)
            joined = ""
        current = joined
    return lines + [current] if current else lines


def _facts_view(document: dict, request_id: str | None, width: int):
    from rich.console import Group
    from rich.text import Text

    return Group(*[Text(line, style="dim", overflow="fold") for line in fact_lines(facts(document, request_id), width)])


def _completion_view(document: dict, request_id: str | None, width: int):
    """The completion text in a panel, never cut; the facts below it."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    panel = Panel(Text(document.get("completion") or "", overflow="fold"), title="completion", title_align="left")
    return Group(panel, _facts_view(document, request_id, width))


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
        console.print(_completion_view(value, item.request_id, view.width))
    else:
        console.print(_value_renderable(value))
    return utf8_text(console.file.getvalue())


def stream_footer(document: dict, request_id: str | None, view) -> bytes:
    """What a streamed completion ends with on a terminal: the same facts as the whole-response view."""
    console = _console(view)
    console.print(_facts_view(document, request_id, view.width))
    return utf8_text(console.file.getvalue())
