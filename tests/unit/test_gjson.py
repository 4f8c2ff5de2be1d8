"""Unit tests of the --transform path language."""

import pytest

from ant_cli.output.gjson import MISSING, select

DOC = {"completion": "hi", "meta": {"user.id": "u", "tags": ["a", "b"]},
       "items": [{"k": 1}, {"k": 2}, {"x": 3}], "empty": [], "zero": 0, "none": None}


@pytest.mark.parametrize("path, expected", [
    ("completion", "hi"),
    ("meta.tags", ["a", "b"]),
    ("meta.tags.1", "b"),
    ("meta.tags.#", 2),
    ("items.#", 3),
    ("items.#.k", [1, 2]),
    ("items.0.k", 1),
    ("meta.user\\.id", "u"),
    ("comp*", "hi"),
    ("m?ta.tags.0", "a"),
    ("empty.#", 0),
    ("zero", 0),
    ("none", None),
])
def test_paths_select_values(path, expected):
    assert select(DOC, path) == expected


@pytest.mark.parametrize("path", ["nope", "meta.tags.5", "completion.x", "items.k", "meta.tags.-1", "zz*"])
def test_paths_that_match_nothing_are_missing(path):
    assert select(DOC, path) is MISSING


def test_an_escaped_dot_is_part_of_the_key():
    assert select({"a.b": {"c": 1}}, "a\\.b.c") == 1
