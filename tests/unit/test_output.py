"""Unit tests of each renderer and of the transform/-r rules."""

import json
import sys

import pytest

from ant_cli.core.errors import OutputError
from ant_cli.core.plan import Format, View
from ant_cli.output import Item, render

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
