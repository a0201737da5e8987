"""docker-bake.hcl quoting: arbitrary repository text never changes the file's structure.

The file is parsed with python-hcl2 (a test-only dependency); its string tokens are decoded here by a
small scanner that follows HCL's template rules ($${ and %%{ are literal, ${ interpolates, \\ escapes),
so a value that escaped badly shows up as a changed value or an extra interpolation.
"""

from __future__ import annotations

import re

import hcl2
from hypothesis import example, given, settings
from hypothesis import strategies as st

from dockgen.generator import bake
from dockgen.generator.render import with_marker

_ESC = {"\\": "\\", '"': '"', "n": "\n", "r": "\r", "t": "\t"}


def decode(token: str) -> list[str | tuple[str]]:
    """An HCL quoted template → its parts: literal text, or ("var",) for an interpolation."""
    assert token.startswith('"') and token.endswith('"'), token
    s, i, out, lit = token[1:-1], 0, [], []
    while i < len(s):
        if s.startswith("$${", i) or s.startswith("%%{", i):
            lit.append(s[i + 1:i + 3])
            i += 3
        elif s.startswith("${", i) or s.startswith("%{", i):
            end = s.index("}", i)
            out += ["".join(lit), (s[i + 2:end],)]
            lit, i = [], end + 1
        elif s[i] == "\\":
            kind = s[i + 1]
            if kind in _ESC:
                lit.append(_ESC[kind])
                i += 2
            else:
                width = 4 if kind == "u" else 8
                assert kind in "uU", token
                lit.append(chr(int(s[i + 2:i + 2 + width], 16)))
                i += 2 + width
        else:
            lit.append(s[i])
            i += 1
    out.append("".join(lit))
    return [p for p in out if p != ""]


def _parse(body: str) -> dict:
    return hcl2.loads(with_marker(body))


#: HCL's own syntax characters often, the rest of Unicode too (plain st.text() rarely makes "${").
SYNTAX = ["$", "{", "}", "%", '"', "\\", "\n", "\r", "\t", "\x00", "\u2028", "\U000e0001", "#", "=", "[", "]", "<"]
text = st.text(alphabet=st.one_of(st.sampled_from(SYNTAX), st.characters()), max_size=30)
names = st.lists(text, min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(names, st.lists(st.tuples(text, text), max_size=2))
def test_arbitrary_values_keep_the_structure(values, skipped):
    targets = [bake.BakeTarget(name=v, member=v, stack="x", dockerfile=v + "/Dockerfile", ignore_file=v,
                               context=v) for v in values]
    data = _parse(bake.render_bake_body(targets, skipped))
    assert sorted(k for k in data if not k.startswith("__")) == ["group", "target", "variable"]
    [group] = data["group"]
    assert list(group) == ['"default"']
    assert [decode(t) for t in group['"default"']["targets"]] == [[v] if v else [] for v in values]
    assert len(data["target"]) == len(values)
    for block, v in zip(data["target"], values):
        [(label, attrs)] = block.items()
        assert decode(label) == ([v] if v else [])
        assert sorted(k for k in attrs if not k.startswith("__")) == ["context", "dockerfile", "tags"]
        assert decode(attrs["dockerfile"]) == [v + "/Dockerfile"]
        assert decode(attrs["context"]) == ([v] if v else [])
        [tag] = attrs["tags"]
        assert decode(tag) == [("REGISTRY",), v + ":", ("TAG",)]


@settings(max_examples=300, deadline=None)
@given(text)
@example("${x}")
@example("%{ if true }")
@example("$${")
def test_escape_round_trips(value):
    assert decode(bake.hcl_string(value)) == ([value] if value else [])
    assert "\n" not in bake.hcl_string(value)


@given(text)
def test_comment_is_one_line(value):
    line = bake.hcl_comment(value)
    assert line.startswith("# ") and len(line.splitlines()) == 1 and "\r" not in line


def test_decoder_can_fail():
    # The checks above would notice a value that escaped into an interpolation.
    assert decode('"${x}"') == [("x",)]
    assert decode('"$${x}"') == ["${x}"]


@given(st.lists(st.from_regex(r"[A-Za-z0-9_./ -]{1,12}", fullmatch=True), min_size=1, max_size=6, unique=True))
def test_target_names_are_unique_and_valid(members):
    out = bake.target_names(members)
    assert len(set(out.values())) == len(members)
    for name in out.values():
        assert re.fullmatch(r"[a-z0-9]+(-+[a-z0-9]+)*|member(-\d+)?", name), name


def test_target_names_prefer_the_directory_name():
    assert bake.target_names(["services/orders", "services/billing"]) == {
        "services/orders": "orders", "services/billing": "billing"}
    assert bake.target_names(["a/api", "b/api"]) == {"a/api": "a-api", "b/api": "b-api"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(text, st.sampled_from(["A", "B"]).map(bake.Var)), max_size=6))
def test_template_parts_stay_apart(parts):
    token = bake.hcl_template(*parts)
    [(_, value)] = hcl2.loads(f"a = {token}\n").items()
    want: list = []
    for p in parts:
        if isinstance(p, bake.Var):
            want.append((p.name,))
        elif want and isinstance(want[-1], str):
            want[-1] += p
        else:
            want.append(p)
    assert decode(value) == [w for w in want if w != ""]
