"""--transform speaks GJSON: the path examples of tidwall/gjson's README, ported, evaluated by gjson-py,
with plain paths looked up without it (and giving the same answers)."""

from __future__ import annotations

import json
import subprocess
import sys

import gjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ant_cli.output.gjson import MISSING, is_plain, select

# The document of tidwall/gjson's README.
README = json.loads("""{
  "name": {"first": "Tom", "last": "Anderson"},
  "age": 37,
  "children": ["Sara", "Alex", "Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"]},
    {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"]},
    {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"]}
  ]
}""")


@pytest.mark.parametrize("path, expected", [
    # path syntax
    ("name.last", "Anderson"),
    ("age", 37),
    ("children", ["Sara", "Alex", "Jack"]),
    ("children.#", 3),
    ("children.1", "Alex"),
    ("child*.2", "Jack"),
    ("c?ildren.0", "Sara"),
    ("fav\\.movie", "Deer Hunter"),
    ("friends.#.first", ["Dale", "Roger", "Jane"]),
    ("friends.1.last", "Craig"),
    # queries
    ('friends.#(last=="Murphy").first', "Dale"),
    ('friends.#(last=="Murphy")#.first', ["Dale", "Jane"]),
    ("friends.#(age>45)#.last", ["Craig", "Murphy"]),
    ('friends.#(first%"D*").last', "Murphy"),
    ('friends.#(first!%"D*").last', "Craig"),
    ('friends.#(nets.#(=="fb"))#.first', ["Dale", "Roger"]),
    # modifiers
    ("children|@reverse", ["Jack", "Alex", "Sara"]),
    ("children|@reverse|0", "Jack"),
    ("children.@reverse", ["Jack", "Alex", "Sara"]),
    ("name|@keys", ["first", "last"]),
    ("name|@values", ["Tom", "Anderson"]),
    ("@this", README),
    ("friends.#.nets|@flatten", ["ig", "fb", "tw", "fb", "tw", "ig", "tw"]),
    # multipaths
    ('{name.first,age,"the_murphys":friends.#(last="Murphy")#.first}',
     {"first": "Tom", "age": 37, "the_murphys": ["Dale", "Jane"]}),
    ("[name.first,age]", ["Tom", 37]),
    ("friends.0|{first,age}", {"first": "Dale", "age": 44}),
    # literals
    ("!true", True),
])
def test_the_gjson_readme_examples(path, expected):
    assert select(README, path) == expected


@pytest.mark.parametrize("path", ["nothing", "friends.9", "name.middle", "friends.#(age>99).first", "nope*"])
def test_a_path_that_matches_nothing_is_missing(path):
    assert select(README, path) is MISSING


@pytest.mark.parametrize("path", ["friends.#(age>", "{name", "a..b", "children|"])
def test_a_path_that_is_not_gjson_matches_nothing(path):
    assert select(README, path) is MISSING


KEYS = st.sampled_from(["completion", "a", "b", "0", "1", "stop_reason"])
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                           max_leaves=12)
PLAIN_PATHS = st.lists(st.one_of(KEYS, st.sampled_from(["0", "2", "10"])), min_size=1, max_size=4).map(".".join)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, PLAIN_PATHS)
def test_plain_paths_give_what_gjson_gives(document, path):
    assert is_plain(path)
    try:
        expected = gjson.get(document, path)
    except gjson.GJSONError:
        expected = MISSING
    assert select(document, path) == expected or select(document, path) is expected


def test_a_plain_path_does_not_import_gjson():
    code = ("import sys; from ant_cli.output.gjson import select; "
            "assert select({'a': [1, 2]}, 'a.1') == 2; print('gjson' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout == "False\n", result.stderr
