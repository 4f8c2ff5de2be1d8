"""`--format yaml` parses back, with a YAML 1.1 parser (PyYAML) and a YAML 1.2 one (ruamel.yaml), to exactly
the response, whatever the completion text; multi-line text uses a `|` block wherever that is lossless."""

from __future__ import annotations

import io

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ant_cli.core.plan import Format, View
from ant_cli.output import Item, render

TRICKY = [
    " leading", "trailing ", "\ttab", "a\tb", "# not a comment", "key: value", "a #b", "- item", "? q", "@at",
    "`tick", "%pct", "!tag", "&anchor", "*alias", "|", ">", "'", '"', "{a: 1}", "[1]", "\ud800", "a\ud800b",
    "\udfff\ud800", "line\r\nnext", "cr\r", "null", "Null", "~", "", " ", "true", "yes", "no", "on", "off", "y",
    "n", "1", "-1", "+1", "1.5", "1e3", "1E-3", ".5", "0o17", "0x10", "0b101", "1_000", "010", "1:20", ".inf",
    "-.Inf", ".nan", "=", "<<", "2001-12-14", "a\u2028b", "a\u2029b", "a\x85b", "\ufeffbom", "nul\x00",
    "two\nlines", "ends with newline\n", "two newlines\n\n", "\nstarts with newline", "  indented\nblock",
    "trailing space \nline", "line\n  more indented", "\n", "\n\n", "a\n \nb", "a\n\tb", "...", "---", "--- x",
    "... x", "a\n---\nb", "a\n...\nb", "x" * 200, "é ü ✓ 😀", "\x7f", "\x1b[31m",
]


def as_yaml(document) -> str:
    return render(Item(document), View(Format.YAML)).decode("utf-8")


def response(text: str) -> dict:
    return {"type": "completion", "id": "compl_1", "completion": text, "stop_reason": "max_tokens",
            "model": "claude-2.1", "metadata": {text: text}}


def parsed_both_ways(text: str) -> tuple:
    return yaml.safe_load(text), YAML(typ="safe", pure=True).load(io.StringIO(text))


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(), st.sampled_from(TRICKY), st.lists(st.sampled_from(TRICKY)).map("\n".join)))
@example("a\n b\n")
def test_any_text_parses_back_to_exactly_the_response(text):
    document = response(text)
    old, new = parsed_both_ways(as_yaml(document))
    assert old == document
    assert new == document


@pytest.mark.parametrize("text", TRICKY)
def test_each_tricky_text_parses_back_both_ways(text):
    document = response(text)
    assert parsed_both_ways(as_yaml(document)) == (document, document)


@pytest.mark.parametrize("text", ["Hello,\nworld", " Hi!\n\nHow can I help?\n", "a\n\n\n", "  code:\n    x = 1",
                                  "\nfirst line empty", "é\n✓"])
def test_multi_line_text_is_a_block(text):
    shown = as_yaml({"completion": text})
    assert shown.startswith("completion: |")
    assert yaml.safe_load(shown) == {"completion": text}


def test_a_bare_string_selected_by_transform_round_trips():
    shown = render(Item({"completion": "0o17"}), View(Format.YAML, transform="completion")).decode()
    assert parsed_both_ways(shown) == ("0o17", "0o17")
