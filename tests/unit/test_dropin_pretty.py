"""The streamed `pretty` view ends with the same facts, under the same labels, as the whole-response view,
and on a narrow terminal their lines break between facts, never inside a short one."""

import pytest

from ant_cli.core.plan import Format, View
from ant_cli.output import Item
from ant_cli.output.pretty import fact_lines, render, stream_footer

DOC = {"type": "completion", "id": "compl_01abc", "completion": " Hello there, how are you today?",
       "stop_reason": "stop_sequence", "model": "claude-2.1"}
FACTS = ["stop: stop_sequence", "model claude-2.1", "id compl_01abc", "request-id req_42"]


@pytest.mark.parametrize("width", [100, 80, 50, 30, 20])
def test_the_streamed_footer_is_the_end_of_the_whole_view(width):
    view = View(Format.PRETTY, width=width)
    whole = render(DOC, Item(DOC, b"", "req_42"), view).decode().splitlines()
    footer = stream_footer(DOC, "req_42", view).decode().splitlines()
    assert whole[-len(footer):] == footer
    assert " · ".join(footer).split(" · ") == FACTS  # every fact whole, in order
    assert max(len(line) for line in footer) <= width


@pytest.mark.parametrize("width", [100, 60, 45, 30, 20])
def test_facts_break_only_between_facts(width):
    lines = fact_lines(FACTS, width)
    assert " · ".join(lines).replace(" · ", "\n").split("\n") == FACTS
    assert all(len(line) <= width for line in lines)


def test_a_fact_wider_than_the_line_gets_label_and_value_lines_of_their_own():
    assert fact_lines(["a: 1", "id " + "x" * 30, "b: 2"], 20) == ["a: 1", "id", "x" * 30, "b: 2"]
