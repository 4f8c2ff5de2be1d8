"""Unit tests of each renderer and of the transform/-r rules.

`--format yaml` parses back, with a YAML 1.1 parser (PyYAML) and a YAML 1.2 one (ruamel.yaml), to exactly
the response, whatever the completion text; multi-line text uses a `|` block wherever that is lossless.

The streamed `pretty` view ends with the same facts, under the same labels, as the whole-response view,
and on a narrow terminal their lines break between facts, never inside a short one.
"""

from __future__ import annotations

import io
import json
import sys

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from ant_cli.core.errors import OutputError
from ant_cli.core.plan import Format, View
from ant_cli.output import Item, pretty, render
from ant_cli.output.pretty import fact_lines, stream_footer

DOC = {"id": "compl_1", "type": "completion", "completion": " Hello\nthere", "stop_reason": "stop_sequence",
       "model": "claude-opus-4-8"}
RAW = json.dumps(DOC, separators=(",", ":")).encode()
ITEM = Item(DOC, RAW, "req_1")


def show(fmt, **view):
    return render(ITEM, View(Format(fmt), **view)).decode()


def test_json_is_indented_and_keeps_key_order():
    text = show("json")
    assert text.startswith('{\n  "id": "compl_1",')
    assert json.loads(text) == DOC and list(json.loads(text)) == list(DOC)


def test_jsonl_is_one_compact_line():
    text = show("jsonl")
    assert text.count("\n") == 1 and text.endswith("\n") and json.loads(text) == DOC


def test_raw_is_the_body_as_received():
    assert show("raw") == RAW.decode() + "\n"


def test_raw_with_transform_prints_compact_json():
    assert show("raw", transform="model") == '"claude-opus-4-8"\n'


def test_yaml_round_trips_and_uses_block_style_for_multiline_text():
    import yaml

    assert yaml.safe_load(show("yaml")) == DOC
    text = render(Item({"completion": "Hello\nthere"}), View(Format("yaml"))).decode()
    assert text == "completion: |-\n  Hello\n  there\n"


def test_text_is_the_completion_with_one_final_newline():
    assert show("text") == " Hello\nthere\n"
    assert render(Item({"completion": "ends\n"}), View(Format("text"))).decode() == "ends\n"


def test_text_with_transform_prints_the_selection():
    assert show("text", transform="stop_reason") == "stop_sequence\n"


def test_transform_and_raw_output():
    assert show("json", transform="completion") == '" Hello\\nthere"\n'
    assert show("json", transform="completion", raw_output=True) == " Hello\nthere\n"
    assert show("jsonl", transform="id", raw_output=True) == "compl_1\n"


def test_raw_output_leaves_non_strings_as_json():
    assert show("json", transform="type", raw_output=True) == "completion\n"
    assert json.loads(render(Item({"n": [1]}), View(Format("json"), transform="n", raw_output=True))) == [1]


def test_unmatched_transform_is_an_error_not_the_whole_document():
    with pytest.raises(OutputError, match="'nope' matches nothing"):
        show("json", transform="nope")


def test_pretty_shows_the_whole_text_and_the_details_without_colour():
    long_text = " ".join(["word"] * 200)
    out = render(Item(dict(DOC, completion=long_text), RAW, "req_42"), View(Format("pretty"), width=60)).decode()
    assert out.count("word") == 200  # wrapped, never truncated
    assert "claude-opus-4-8" in out and "stop_sequence" in out and "compl_1" in out and "req_42" in out
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 60


def test_pretty_uses_colour_only_when_allowed():
    assert "\x1b[" in render(ITEM, View(Format("pretty"), color=True)).decode()


def test_non_pretty_renderers_do_not_import_rich():
    sys.modules.pop("rich", None)
    for fmt in ("json", "jsonl", "raw", "text"):
        show(fmt)
    assert "rich" not in sys.modules


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


GREETING = {"type": "completion", "id": "compl_01abc", "completion": " Hello there, how are you today?",
       "stop_reason": "stop_sequence", "model": "claude-2.1"}
FACTS = ["stop: stop_sequence", "model claude-2.1", "id compl_01abc", "request-id req_42"]


@pytest.mark.parametrize("width", [100, 80, 50, 30, 20])
def test_the_streamed_footer_is_the_end_of_the_whole_view(width):
    view = View(Format.PRETTY, width=width)
    whole = pretty.render(GREETING, Item(GREETING, b"", "req_42"), view).decode().splitlines()
    footer = stream_footer(GREETING, "req_42", view).decode().splitlines()
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
