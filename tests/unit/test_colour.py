"""json, jsonl and yaml are syntax-coloured when colour is on; colour never changes the text."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ant_cli.core.plan import Format, View
from ant_cli.output import Item, render
from ant_cli.output.syntax_colour import KEY, LITERAL, NUMBER, STRING, colour_json, colour_yaml

ANSI = re.compile(r"\x1b\[[0-9;]*m")
DOC = {"type": "completion", "completion": ' said "1 true": ok\nnext', "stop_reason": None, "n": 3, "f": 1.5e-7,
       "ok": True, "metadata": {"user_id": "0x10"}}
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
                      | st.text(), lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=3), max_leaves=10)


def shown(document, fmt: Format, color: bool) -> str:
    return render(Item(document), View(fmt, color=color)).decode("utf-8")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=8), VALUES, max_size=5), st.sampled_from([Format.JSON, Format.JSONL,
                                                                                  Format.YAML]))
def test_removing_the_colour_leaves_exactly_the_plain_text(document, fmt):
    assert ANSI.sub("", shown(document, fmt, True)) == shown(document, fmt, False)


@pytest.mark.parametrize("fmt", [Format.JSON, Format.JSONL])
def test_json_keys_strings_numbers_and_literals_have_their_colours(fmt):
    text = shown(DOC, fmt, True)
    assert f'{KEY}"completion"' in text and f'{STRING}" said \\"1 true\\": ok\\nnext"' in text
    assert f"{NUMBER}3" in text and f"{LITERAL}null" in text and f"{LITERAL}true" in text
    assert f'{STRING}"0x10"' in text


def test_yaml_keys_and_values_have_their_colours():
    text = shown(DOC, Format.YAML, True)
    assert f"{KEY}completion" in text and f"{STRING}completion" in text and f"{NUMBER}3" in text
    assert f"{LITERAL}null" in text and f'{STRING}"0x10"' in text


def test_no_colour_when_colour_is_off():
    for fmt in (Format.JSON, Format.JSONL, Format.YAML, Format.RAW):
        assert "\x1b[" not in shown(DOC, fmt, False)


def test_json_as_received_is_coloured_the_same():
    received = '{"a": [1, -2.5e3, "x\\"y"], "b": false}'
    assert ANSI.sub("", colour_json(received)) == received and f"{NUMBER}-2.5e3" in colour_json(received)


def test_yaml_the_scanner_cannot_read_is_left_uncoloured():
    assert colour_yaml("a: \"unclosed\n") == "a: \"unclosed\n"
