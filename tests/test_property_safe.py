"""Property tests, allow-lists (detectors/safe.py): for any input, each allow-list either refuses it
with a one-line exit-5 ``InvalidInputError`` naming the file and field, or returns a value that keeps
its promise (no ``..``, globs, control characters, shell or Dockerfile metacharacters, ...)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from dockgen.detectors import safe
from dockgen.detectors.errors import InvalidInputError
from support.props import Budget, PAYLOADS, hostile_text, profile

budget = Budget()
values = st.one_of(hostile_text(40), st.sampled_from(PAYLOADS), st.text(max_size=40),
                   st.sampled_from(["app", "a/b/c", "./src/", "1.2.3", "8080", "com.example.App", "m:app",
                                    "example.com/x/v2", "gunicorn", "--bind=0.0.0.0:8000"]),
                   st.integers(-10, 70000), st.booleans(), st.none(), st.lists(st.text(max_size=3), max_size=2))
SHELL = set("\n\r\t\\\"'$`;|&<>(){}[]*?!# ~%\x00\x7f")


def _call(fn, *args):
    try:
        return fn(*args, "manifest.json", "field")
    except InvalidInputError as exc:
        assert exc.exit_code == 5 and "\n" not in str(exc) and str(exc).startswith("manifest.json: field")
        return None


@profile(600)
@given(v=values, words=st.lists(st.one_of(hostile_text(12), st.sampled_from(["gunicorn", "app:app", "-w", "2"])),
                                max_size=4))
def _allow_lists(v, words):
    budget.ran += 1
    p = _call(safe.rel_path, v)
    if p is not None:
        assert not p.startswith("/") and ".." not in p.split("/") and not set(p) & SHELL
        assert not p.endswith(("/", "\\")) and all(part and not part.startswith("-") for part in p.split("/"))
    for fn in (safe.name, safe.version, safe.python_module, safe.java_class, safe.go_import_path):
        out = _call(fn, v)
        if out is not None:
            assert not set(out) & SHELL and out.isprintable() and ".." not in out.split("/"), (fn.__name__, out)
    ref = _call(safe.python_object_ref, v)
    if ref is not None:
        assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_.]*", part) for part in ref)
    n = _call(safe.port, v)
    if n is not None:
        assert isinstance(n, int) and 1 <= n <= 65535 and not isinstance(v, bool)
    t = _call(safe.label_text, v)
    if t is not None:
        assert not any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or 0x202A <= ord(c) <= 0x202E
                       or 0x2066 <= ord(c) <= 0x2069 for c in t), repr(t)
        assert not t.endswith("\\") and len(t) <= 200 and "\n" not in t
    cmd = _call(safe.command_words, words)
    if cmd is not None:
        assert all(w and not set(w) & SHELL for w in cmd)
    budget.rendered += p is not None


def test_allow_lists_keep_their_promises():
    _allow_lists()
    budget.require(600)
