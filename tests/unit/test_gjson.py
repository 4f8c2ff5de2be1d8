"""Unit tests of the --transform path language (GJSON).

Most cases are ported from tidwall/gjson's own tests (gjson_test.go, https://github.com/tidwall/gjson),
named after the Go test they come from; the documents are made valid JSON where the Go ones are
malformed on purpose (a response is always parsed JSON here). Then the examples of tidwall/gjson's
README, and the short cut for plain paths, held to give what the full evaluator gives.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ant_cli.output.gjson import MISSING, evaluate, is_plain, select
from tests.helpers import ROOT

# gjson_test.go's documents -------------------------------------------------------------------------

MANY = {"a": {"a": {"hello": "world"}}, "position": {"type": "Point", "coordinates": [-115.24, 33.09]},
        "loves": ["world peace"], "name": {"last": "Anderson", "first": "Nancy"}, "age": 31,
        "": {"a": "emptya", "b": "emptyb"}, "name.last": "Yellow", "name.first": "Cat"}
BASIC = {"age": 100, "noop": {"what is a wren?": "a bird"}, "happy": True, "immortal": False,
         "items": [1, 2, 3, {"tags": [1, 2, 3], "points": [[1, 2], [3, 4]]}, 4, 5, 6, 7],
         "arr": ["1", 2, "3", {"hello": "world"}, "4", 5], "vals": [1, 2, 3, {"sadf": "asdf"}],
         "name": {"first": "tom", "last": None}, "created": "2014-05-16T08:28:06.989Z",
         "loggy": {"programmers": [
             {"firstName": "Brett", "lastName": "McLaughlin", "email": "aaaa", "tag": "good"},
             {"firstName": "Jason", "lastName": "Hunter", "email": "bbbb", "tag": "bad"},
             {"firstName": "Elliotte", "lastName": "Harold", "email": "cccc", "tag": "good"},
             {"firstName": 1002.3, "age": 101}]},
         "lastly": {"end...ing": "soon", "yay": "final"}}
ESCAPE = {"test": {"*": "valZ", "*v": "val0", "keyv*": "val1", "key*v": "val2", "keyv?": "val3", "key?v": "val4",
                   "keyv.": "val5", "key.v": "val6", "keyk*": {"key?": "val7"}}}
PEOPLE = {"info": {"friends": [
    {"first": "Dale", "last": "Murphy", "kind": "Person", "cust1": True, "extra": [10, 20, 30],
     "details": {"city": "Tempe", "state": "Arizona"}},
    {"first": "Roger", "last": "Craig", "kind": "Person", "cust2": False, "extra": [40, 50, 60],
     "details": {"city": "Phoenix", "state": "Arizona"}}]}}
FRIENDS = {"info": {"friends": [{"first": "Dale", "last": "Murphy", "age": 44},
                                {"first": "Roger", "last": "Craig", "age": 68},
                                {"first": "Jane", "last": "Murphy", "age": 47}]}}
UNICODE = {"key": 0, "的情况下解": {"key": 1, "的情况": 2}}
ARTISTS = {"artists": [["Bob Dylan"], "John Lennon", "Mick Jagger", "Elton John", "Michael Jackson", "John Smith",
                       True, 123, 456, False, None]}
TILDE = {"vals": [{"a": 1, "b": "data"}, {"a": 2, "b": True}, {"a": 3, "b": False}, {"a": 4, "b": "0"},
                  {"a": 5, "b": 0}, {"a": 6, "b": "1"}, {"a": 7, "b": 1}, {"a": 8, "b": "true"},
                  {"a": 9, "b": False}, {"a": 10, "b": None}, {"a": 11}]}
NESTED = [{"c": [{"a": 10.11}]}, {"c": [{"a": 11.11}]}]
SUBPATHS = [{"a": 1}, {"a": 2, "values": ["a", "b", "c", "d", "e"]}, True, ["a", "b", "c", "d", "e"], 4]
TOPOLOGY = {"topology": {"instances": [
    {"service_version": "1.2.3", "service_locale": {"lang": "en"}, "service_roles": ["one", "two"]},
    {"service_version": "1.2.4", "service_locale": {"lang": "th"}, "service_roles": ["three", "four"]},
    {"service_version": "1.2.2", "service_locale": {"lang": "en"}, "service_roles": ["one"]}]}}
OTHER = {"other": {"hello": "world"}, "arr": [1, 2, 3, 4, 5, 6]}
ENCODED = {"friends": [{"first": "Dale", "last": "Mur\nphy", "age": 44},
                       {"first": "Roger", "last": "Craig", "age": 68},
                       {"first": "Jane", "last": "Murphy", "age": 47}]}
STOCKS = {"1300014": {"code": "1300014", "price": 59.18}, "1300015": {"code": "1300015", "price": 43.31}}
ISSUES = {"issues": [{"fields": {"labels": ["milestone_1", "group:foo", "plan:a", "plan:b"]}, "id": "123"},
                     {"fields": {"labels": ["milestone_1", "group:foo", "plan:a", "plan"]}, "id": "456"}]}
DIG = {"group": {"issues": [
    {"fields": {"labels": ["milestone_1", "group:foo", "plan:a", "plan:b"]}, "refid": "123"},
    {"fields": {"labels": ["milestone_2", "group:foo", "plan:a", "plan"]}, "refid": "456"},
    [{"extra_deep": [{"fields": {"labels": ["milestone_3", "group:foo", "plan:a", "plan"]}, "refid": "789"}]}]]}}
SECRETS = {"something": {"anything": {"abcdefg": {
    "finally": {"important": {"secret": "password", "name": "jake"}}, "name": "melinda"}}}}
NAME = {"name": {"first": "Tom", "last": "Anderson"}}
FLAT = [1, [2], [3, 4], [5, [6, [7]]], {"hi": "there"}, 8, [9]]
TAGS = ["ig", "", "tw", "fb", "tw", "ig", "tw"]
JOINS = [{"a": 1, "b": 1}, {"b": 2}, 5, {"c": 3}]
EVERY_A = {"friends": [{"a": 10}, {"a": 20}, {"a": 30}, {"a": 40}]}

TIDWALL = [
    # TestManyBasic
    ("TestManyBasic", MANY, "position.type", "Point"), ("TestManyBasic", MANY, ".a", "emptya"),
    ("TestManyBasic", MANY, "loves", ["world peace"]), ("TestManyBasic", MANY, "age", 31),
    ("TestManyBasic", MANY, "name", {"last": "Anderson", "first": "Nancy"}),
    ("TestManyBasic", MANY, "name.first", "Nancy"), ("TestManyBasic", MANY, "name\\.first", "Cat"),
    # TestEscapePath
    ("TestEscapePath", ESCAPE, "test.\\*", "valZ"), ("TestEscapePath", ESCAPE, "test.\\*v", "val0"),
    ("TestEscapePath", ESCAPE, "test.keyv\\*", "val1"), ("TestEscapePath", ESCAPE, "test.key\\*v", "val2"),
    ("TestEscapePath", ESCAPE, "test.keyv\\?", "val3"), ("TestEscapePath", ESCAPE, "test.key\\?v", "val4"),
    ("TestEscapePath", ESCAPE, "test.keyv\\.", "val5"), ("TestEscapePath", ESCAPE, "test.key\\.v", "val6"),
    ("TestEscapePath", ESCAPE, "test.keyk\\*.key\\?", "val7"),
    # TestBasic .. TestBasic5
    ("TestBasic", BASIC, 'loggy.programmers.#[tag="good"].firstName', "Brett"),
    ("TestBasic", BASIC, 'loggy.programmers.#[tag="good"]#.firstName', ["Brett", "Elliotte"]),
    ("TestBasic2", BASIC, "loggy.programmers.#[age=101].firstName", 1002.3),
    ("TestBasic2", BASIC, 'loggy.programmers.#[firstName != "Brett"].firstName', "Jason"),
    ("TestBasic2", BASIC, 'loggy.programmers.#[firstName % "Bre*"].email', "aaaa"),
    ("TestBasic2", BASIC, 'loggy.programmers.#[firstName !% "Bre*"].email', "bbbb"),
    ("TestBasic2", BASIC, 'loggy.programmers.#[firstName == "Brett"].email', "aaaa"),
    ("TestBasic3", BASIC, "loggy.programmers.1.firstName", "Jason"),
    ("TestBasic3", BASIC, "loggy.programmers.#.firstName", ["Brett", "Jason", "Elliotte", 1002.3]),
    ("TestBasic3", BASIC, "loggy.programmers.#.asd", []),
    ("TestBasic4", BASIC, "items.3.tags.#", 3), ("TestBasic4", BASIC, "items.3.points.1.#", 2),
    ("TestBasic4", BASIC, "items.#", 8), ("TestBasic4", BASIC, "vals.#", 4),
    ("TestBasic4", BASIC, "name.last", None), ("TestBasic4", BASIC, "arr.#", 6),
    ("TestBasic4", BASIC, "arr.3.hello", "world"), ("TestBasic4", BASIC, "name.first", "tom"),
    ("TestBasic5", BASIC, "age", 100), ("TestBasic5", BASIC, "happy", True), ("TestBasic5", BASIC, "immortal", False),
    ("TestBasic5", BASIC, "noop", {"what is a wren?": "a bird"}), ("TestBasic5", BASIC, "", MISSING),
    ("TestBasic5", BASIC, "vals.hello", MISSING),
    # TestUnicode
    ("TestUnicode", UNICODE, "的情况下解.key", 1), ("TestUnicode", UNICODE, "的情况下解.的情况", 2),
    ("TestUnicode", UNICODE, "的情况下解.的?况", 2), ("TestUnicode", UNICODE, "的情况下解.的?*", 2),
    ("TestUnicode", UNICODE, "的情况下解.*?况", 2), ("TestUnicode", UNICODE, "的情?下解.*?况", 2),
    ("TestUnicode", UNICODE, "的情下解.*?况", MISSING),
    # TestSingleArrayValue, TestNullArray, TestIssue55, TestIssue58, TestObjectGrouping
    ("TestSingleArrayValue", {"key": "value", "key2": [1, 2, 3, 4, "A"]}, "key2.#", 5),
    ("TestSingleArrayValue", {"key": "value", "key2": [1, 2, 3, 4, "A"]}, "key3", MISSING),
    ("TestNullArray", {"data": None}, "data", None),
    ("TestIssue55", {"one": {"two": 2, "three": 3}, "four": 4, "five": 5}, "one.six", MISSING),
    ("TestIssue58", {"data": [{"uid": 1}, {"uid": 2}]}, "data.#[uid!=1]", {"uid": 2}),
    ("TestObjectGrouping", [True, {"name": "tom"}, False, {"name": "janet"}, None], "#.name", ["tom", "janet"]),
    # TestModifier, TestChaining, TestPipeDotMixing
    ("TestModifier", OTHER, "@pretty|@reverse|@ugly", {"arr": [1, 2, 3, 4, 5, 6], "other": {"hello": "world"}}),
    ("TestModifier", OTHER, "@this", OTHER), ("TestModifier", OTHER, "other.@this", {"hello": "world"}),
    ("TestModifier", OTHER, "@pretty|@reverse|arr|@reverse|2", 4),
    ("TestChaining", FRIENDS, "info.friends|0|first", "Dale"),
    ("TestChaining", FRIENDS, "info.friends|@reverse|0|age", 47),
    ("TestChaining", FRIENDS, "@ugly|i\\nfo|friends.0.first", "Dale"),
    ("TestPipeDotMixing", FRIENDS, 'info.friends.#[first="Dale"].last', "Murphy"),
    ("TestPipeDotMixing", FRIENDS, 'info|friends.#[first="Dale"].last', "Murphy"),
    ("TestPipeDotMixing", FRIENDS, 'info|friends.#[first="Dale"]|last', "Murphy"),
    ("TestPipeDotMixing", FRIENDS, 'info|friends|#[first="Dale"]|last', "Murphy"),
    ("TestPipeDotMixing", FRIENDS, '@ugly|info|friends|#[first="Dale"]|last', "Murphy"),
    ("TestPipeDotMixing", FRIENDS, '@ugly|info.@ugly|friends|#[first="Dale"]|last', "Murphy"),
    ("TestPipeDotMixing", FRIENDS, '@ugly.info|@ugly.friends|#[first="Dale"]|last', "Murphy"),
    # TestArrayEx
    ("TestArrayEx", NESTED, "@ugly|#.c.#[a=10.11]", [{"a": 10.11}]), ("TestArrayEx", NESTED, "@ugly|#.c.#", [1, 1]),
    ("TestArrayEx", NESTED, "@reverse|0|c|0|a", 11.11), ("TestArrayEx", NESTED, "#.c|#", 2),
    # TestDeepSelectors
    ("TestDeepSelectors", PEOPLE, 'info.friends.#[first="Dale"].extra.0', 10),
    ("TestDeepSelectors", PEOPLE, 'info.friends.#[first="Dale"].extra|0', 10),
    ("TestDeepSelectors", PEOPLE, 'info.friends.#[first="Dale"]|extra|0', 10),
    ("TestDeepSelectors", PEOPLE, 'info.friends.#[details.city="Tempe"].last', "Murphy"),
    ("TestDeepSelectors", PEOPLE, 'info.friends.#[details.city="Phoenix"].last', "Craig"),
    ("TestDeepSelectors", PEOPLE, 'info.friends.#[details.state="Arizona"].last', "Murphy"),
    # TestMultiArrayEx
    ("TestMultiArrayEx", PEOPLE, 'info.friends.#[kind="Person"]#.kind|0', "Person"),
    ("TestMultiArrayEx", PEOPLE, "info.friends.#.kind|0", "Person"),
    ("TestMultiArrayEx", PEOPLE, 'info.friends.#[kind="Person"]#.kind', ["Person", "Person"]),
    ("TestMultiArrayEx", PEOPLE, "info.friends.#.kind", ["Person", "Person"]),
    ("TestMultiArrayEx", PEOPLE, 'info.friends.#[kind="Person"]#|kind', MISSING),
    ("TestMultiArrayEx", PEOPLE, "info.friends.#|kind", MISSING),
    ("TestMultiArrayEx", PEOPLE, 'i*.f*.#[kind="Other"]#', []),
    # TestQueries
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0<11].first", "Dale"),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0<=11].first", "Dale"),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0<10].first", MISSING),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0<=10].first", "Dale"),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0=10].first", "Dale"),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0=11].first", MISSING),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0!=10].first", "Roger"),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0>10].first", "Roger"),
    ("TestQueries", PEOPLE, "i*.f*.#[extra.0>=10].first", "Dale"),
    ("TestQueries", PEOPLE, 'i*.f*.#[extra.0<"11"].first', "Dale"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first>"Dale"].last', "Craig"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first>="Dale"].last', "Murphy"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first="Dale"].last', "Murphy"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first!="Dale"].last', "Craig"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first<"Dale"].last', MISSING),
    ("TestQueries", PEOPLE, 'i*.f*.#[first<="Dale"].last', "Murphy"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first%"Da*"].last', "Murphy"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first%"Dale"].last', "Murphy"),
    ("TestQueries", PEOPLE, 'i*.f*.#[first%"*a*"]#|#', 1),
    ("TestQueries", PEOPLE, 'i*.f*.#[first%"*e*"]#|#', 2),
    ("TestQueries", PEOPLE, 'i*.f*.#[first!%"*e*"]#|#', 0),
    ("TestQueries", PEOPLE, "i*.f*.#[cust1=true].first", "Dale"),
    ("TestQueries", PEOPLE, "i*.f*.#[cust2=false].first", "Roger"),
    ("TestQueries", PEOPLE, "i*.f*.#[cust1!=false].first", "Dale"),
    ("TestQueries", PEOPLE, "i*.f*.#[cust2!=true].first", "Roger"),
    ("TestQueries", PEOPLE, "i*.f*.#[cust1>true].first", MISSING),
    ("TestQueries", PEOPLE, "i*.f*.#[cust1>=true].first", "Dale"),
    ("TestQueries", PEOPLE, "i*.f*.#[cust2<false].first", MISSING),
    ("TestQueries", PEOPLE, "i*.f*.#[cust2<=false].first", "Roger"),
    # TestQueryArrayValues, TestParenQueries, TestParentSubQuery
    ("TestQueryArrayValues", ARTISTS, 'a*.#[0="Bob Dylan"]#|#', 1),
    ("TestQueryArrayValues", ARTISTS, 'a*.#[0="Bob Dylan 2"]#|#', 0),
    ("TestQueryArrayValues", ARTISTS, 'a*.#[%"John*"]#|#', 2),
    ("TestQueryArrayValues", ARTISTS, 'a*.#[_%"John*"]#|#', 0),
    ("TestQueryArrayValues", ARTISTS, 'a*.#[="123"]#|#', 1),
    ("TestParenQueries", EVERY_A, "friends.#(a>9)#|#", 4), ("TestParenQueries", EVERY_A, "friends.#(a>10)#|#", 3),
    ("TestParenQueries", EVERY_A, "friends.#(a>40)#|#", 0),
    ("TestParentSubQuery", TOPOLOGY, 'topology.instances.#( service_roles.#(=="one"))#.service_version',
     ["1.2.3", "1.2.2"]),
    # TestSubSelectors, TestArrayCountRawOutput
    ("TestSubSelectors", PEOPLE, "[]", []), ("TestSubSelectors", PEOPLE, "{}", {}),
    ("TestSubSelectors", PEOPLE, '{abc:info.friends.0.first,info.friends.1.last,"a\\ra":info.friends.0.kind,'
     '{123:info.friends.1.cust2}}', {"abc": "Dale", "last": "Craig", "a\ra": "Person", "_": {"123": False}}),
    ("TestSubSelectors", PEOPLE, '[info.friends.#[details.city="Phoenix"]#|#]', [1]),
    ("TestSubSelectors", PEOPLE, "info.friends.[0.first,1.extra.0]", ["Dale", 40]),
    ("TestSubSelectors", PEOPLE, "info.friends.#.[first,extra.0]", [["Dale", 10], ["Roger", 40]]),
    ("TestArrayCountRawOutput", [1, 2, 3, 4], "#", 4),
    # TestSingleModifier, TestIndexAtSymbol, TestEscape
    ("TestSingleModifier", {"@key": "value"}, "@key", "value"),
    ("TestSingleModifier", {"@key": "value"}, "\\@key", "value"),
    ("TestIndexAtSymbol", {"@context": {"rdfs": "http://www.w3.org/2000/01/rdf-schema#", "@vocab": "http://schema.org/"}},
     "@context.@vocab", "http://schema.org/"),
    ("TestEscape", {"user": {"first.name": "Janet", "last.name": "Prichard"}}, "user.first\\.name", "Janet"),
    ("TestEscape", {"user": {"first.name": "Janet", "last.name": "Prichard"}}, "user.first.name", MISSING),
    # TestIssue141, TestIssue301
    ("TestIssue141", {"data": [{"q": 11, "w": 12}, {"q": 21, "w": 22}, {"q": 31, "w": 32}], "sql": "some stuff here"},
     "data.#.{q}|@ugly", [{"q": 11}, {"q": 21}, {"q": 31}]),
    ("TestIssue301", {"children": ["Sara", "Alex", "Jack"], "fav.movie": ["Deer Hunter"]}, "children.[0]", ["Sara"]),
    ("TestIssue301", {"children": ["Sara", "Alex", "Jack"], "fav.movie": ["Deer Hunter"]}, "children.[10]", []),
    ("TestIssue301", {"children": ["Sara", "Alex", "Jack"], "fav.movie": ["Deer Hunter"]}, "fav\\.movie.[0]",
     ["Deer Hunter"]),
    ("TestIssue301", {"children": ["Sara", "Alex", "Jack"], "fav.movie": ["Deer Hunter"]}, "fav\\.movie.1", MISSING),
    # TestFlatten, TestFlattenRemoveNonExist, TestJoin, TestValid
    ("TestFlatten", FLAT, "@flatten", [1, 2, 3, 4, 5, [6, [7]], {"hi": "there"}, 8, 9]),
    ("TestFlatten", FLAT, '@flatten:{"deep":true}', [1, 2, 3, 4, 5, 6, 7, {"hi": "there"}, 8, 9]),
    ("TestFlatten", {"9999": 1234}, "@flatten", {"9999": 1234}),
    ("TestFlattenRemoveNonExist", [[1], [2, [[], [3]], [4, [5], [], [[[6]]]]]], '@flatten:{"deep":true}',
     [1, 2, 3, 4, 5, 6]),
    ("TestJoin", [{}, {}], "@join", {}), ("TestJoin", [{"a": 1}, {"b": 2}], "@join", {"a": 1, "b": 2}),
    ("TestJoin", [{"a": 1, "b": 1}, {"b": 2}], "@join", {"a": 1, "b": 2}),
    ("TestJoin", JOINS, "@join", {"a": 1, "b": 2, "c": 3}),
    ("TestJoin", JOINS, '@join:{"preserve":true}.b', 1),
    ("TestJoin", {"9999": 1234}, "@join", {"9999": 1234}),
    ("TestValid", [{}], "@valid", [{}]),
    # TestSubpathsWithMultipaths, TestPipeEmptyArray, TestEncodedQueryString
    ("TestSubpathsWithMultipaths", SUBPATHS, "1.values.@ugly", ["a", "b", "c", "d", "e"]),
    ("TestSubpathsWithMultipaths", SUBPATHS, "1.values.[0,3]", ["a", "d"]),
    ("TestSubpathsWithMultipaths", SUBPATHS, "3.@ugly", ["a", "b", "c", "d", "e"]),
    ("TestSubpathsWithMultipaths", SUBPATHS, "3.[0,3]", ["a", "d"]),
    ("TestSubpathsWithMultipaths", SUBPATHS, "#.@ugly", SUBPATHS),
    ("TestSubpathsWithMultipaths", SUBPATHS, "#.[0,3]", [[], [], [], ["a", "d"], []]),
    ("TestPipeEmptyArray", [], "#(hello)#", []),
    ("TestEncodedQueryString", ENCODED, 'friends.#(last=="Mur\\nphy").age', 44),
    ("TestEncodedQueryString", ENCODED, 'friends.#(last=="Murphy").age', 47),
    # TestTildeQueries
    ("TestTildeQueries", TILDE, "vals.#(b==~true)#.a", [2, 6, 7, 8]),
    ("TestTildeQueries", TILDE, "vals.#(b!=~true)#.a", [1, 3, 4, 5, 9, 10, 11]),
    ("TestTildeQueries", TILDE, "vals.#(b==~false)#.a", [3, 4, 5, 9, 10, 11]),
    ("TestTildeQueries", TILDE, "vals.#(b!=~false)#.a", [1, 2, 6, 7, 8]),
    ("TestTildeQueries", TILDE, "vals.#(b==~null)#.a", [10, 11]),
    ("TestTildeQueries", TILDE, "vals.#(b!=~null)#.a", [1, 2, 3, 4, 5, 6, 7, 8, 9]),
    ("TestTildeQueries", TILDE, "vals.#(b==~*)#.a", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    ("TestTildeQueries", TILDE, "vals.#(b!=~*)#.a", [11]),
    # TestKeysValuesModifier, TestEmptyValueQuery
    ("TestKeysValuesModifier", STOCKS, "@keys", ["1300014", "1300015"]),
    ("TestKeysValuesModifier", STOCKS, "@values.#.code", ["1300014", "1300015"]),
    ("TestKeysValuesModifier", "hello", "@keys", [None]), ("TestKeysValuesModifier", [], "@keys", []),
    ("TestKeysValuesModifier", [1, 2, 3], "@keys", [None, None, None]),
    ("TestKeysValuesModifier", "hello", "@values", ["hello"]), ("TestKeysValuesModifier", [], "@values", []),
    ("TestKeysValuesModifier", [1, 2, 3], "@values", [1, 2, 3]),
    ("TestEmptyValueQuery", TAGS, '#(!="")#', ["ig", "tw", "fb", "tw", "ig", "tw"]),
    ("TestEmptyValueQuery", TAGS, "#(!=)#", ["ig", "tw", "fb", "tw", "ig", "tw"]),
    # TestStaticJSON
    ("TestStaticJSON", NAME, '"bar"', MISSING), ("TestStaticJSON", NAME, '!"bar"', "bar"),
    ("TestStaticJSON", NAME, '!{"name":{"first":"Tom"}}.{name.first}.first', "Tom"),
    ("TestStaticJSON", NAME, '{name.last,"foo":!"bar"}', {"last": "Anderson", "foo": "bar"}),
    ("TestStaticJSON", NAME, '{name.last,"foo":!{"a":"b"},"that"}', {"last": "Anderson", "foo": {"a": "b"}}),
    ("TestStaticJSON", NAME, '{name.last,"foo":!{"c":"d"},!"that"}',
     {"last": "Anderson", "foo": {"c": "d"}, "_": "that"}),
    # TestToFromStr, TestGroup, TestModDig
    ("TestToFromStr", {"Message": '{"Records":[{"eventVersion":"2.1"}]}'},
     "Message.@fromstr.Records.#.eventVersion.@tostr", ['"2.1"']),
    ("TestGroup", {"id": ["123", "456", "789"], "val": [2, 1]}, "@group",
     [{"id": "123", "val": 2}, {"id": "456", "val": 1}, {"id": "789"}]),
    ("TestGroup", ISSUES, '{"id":issues.#.id,"plans":issues.#.fields.labels.#(%"plan:*")#|#.#}|@group|#(plans>=2)#.id',
     ["123"]),
    ("TestModDig", DIG, "group.@dig:#(refid=123)|0.fields.labels.0", "milestone_1"),
    ("TestModDig", DIG, "group.@dig:#(refid=456)|0.fields.labels.0", "milestone_2"),
    ("TestModDig", DIG, "group.@dig:#(refid=789)|0.fields.labels.0", "milestone_3"),
    ("TestModDig", SECRETS, "@dig:name", ["melinda", "jake"]), ("TestModDig", SECRETS, "@dig:secret", ["password"]),
]


def same(found, expected) -> bool:
    """Equal as JSON values: MISSING only to MISSING, and true is not 1."""
    if found is MISSING or expected is MISSING:
        return found is expected
    return json.dumps(found, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("test, document, path, expected", TIDWALL,
                         ids=[f"{test}:{path}" for test, _, path, _ in TIDWALL])
def test_the_cases_of_tidwalls_gjson_test_go(test, document, path, expected):
    assert same(select(document, path), expected)


def test_sorted_keys_sort_every_object_at_any_depth():
    """TestDeepModifierWithOptions: the order of keys is what is checked."""
    found = select({"x": [{"y": [{"z": {"b": 1, "c": 2, "a": 3}}]}]}, 'x.#.y.#.z.@pretty:{"sortKeys":true}')
    assert json.dumps(found) == '[[{"a": 3, "b": 1, "c": 2}]]'


# The examples of tidwall/gjson's README --------------------------------------------------------------

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
    assert same(select(README, path), expected)


@pytest.mark.parametrize("path", ["nothing", "friends.9", "name.middle", "friends.#(age>99).first", "nope*"])
def test_a_path_that_matches_nothing_is_missing(path):
    assert select(README, path) is MISSING


@pytest.mark.parametrize("path", ["friends.#(age>", "{name", "children|", "name.", "!tru", 'friends.#(last=="x)'])
def test_a_path_that_is_not_gjson_matches_nothing(path):
    assert select(README, path) is MISSING


# Short paths on a completion-like document ------------------------------------------------------------

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
    assert same(select(DOC, path), expected)


@pytest.mark.parametrize("path", ["nope", "meta.tags.5", "completion.x", "items.k", "meta.tags.-1", "zz*"])
def test_paths_that_match_nothing_are_missing(path):
    assert select(DOC, path) is MISSING


def test_an_escaped_dot_is_part_of_the_key():
    assert select({"a.b": {"c": 1}}, "a\\.b.c") == 1


# The short cut for plain paths --------------------------------------------------------------------

KEYS = st.sampled_from(["completion", "a", "b", "0", "1", "stop_reason"])
JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                           max_leaves=12)
PLAIN_PATHS = st.lists(st.one_of(KEYS, st.sampled_from(["0", "2", "10"])), min_size=1, max_size=4).map(".".join)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, PLAIN_PATHS)
def test_plain_paths_give_what_the_full_evaluator_gives(document, path):
    assert is_plain(path)
    assert same(select(document, path), evaluate(document, path))


def test_any_path_is_evaluated_with_the_standard_library_alone():
    code = ("import sys; from ant_cli.output.gjson import select; "
            "assert select({'a': [{'b': 2}]}, 'a.#(b==2).b|@this') == 2; "
            "print(sorted({m.split('.')[0] for m in sys.modules} - set(sys.stdlib_module_names)"
            " - {'ant_cli', '__main__'}))")
    result = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True, timeout=60,
                            cwd=ROOT)
    assert result.stdout == "[]\n", result.stderr
