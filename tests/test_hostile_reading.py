"""Unit tests for the hostile-input defences: RepoView, the strict parsers, the writer's read of an
existing output, and the renderer's self-check (issue 6)."""

from __future__ import annotations

import os
import time

import pytest

from dockgen.detectors import repo as repo_mod
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.parsing import MAX_DEPTH, load_json, load_toml, load_xml
from dockgen.detectors.repo import RepoView, read_regular_file
from dockgen.generator import models as m
from dockgen.generator.render import RenderError, render_dockerfile_body, verify_against_plan, with_marker
from dockgen.generator.writer import decide
from support.plans import sample_plan


@pytest.fixture
def tree(tmp_path):
    root = tmp_path / "repo"
    (root / "src").mkdir(parents=True)
    (root / "src" / "a.txt").write_text("inside\n")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret").write_text("secret\n")
    return root


def _refused(fn, *args, match: str):
    with pytest.raises(InvalidInputError, match=match) as info:
        fn(*args)
    assert info.value.exit_code == 5 and "\n" not in str(info.value)
    return info.value


# ---- RepoView ---------------------------------------------------------------------------------------


def test_links_inside_the_repo_are_followed(tree):
    os.symlink("src/a.txt", tree / "link.txt")
    os.symlink("src", tree / "linkdir")
    view = RepoView(tree)
    assert view.read_text("link.txt") == "inside\n"
    assert view.is_dir("linkdir") and view.listdir("linkdir") == ["a.txt"]
    assert view.read_text("linkdir/a.txt") == "inside\n"


def test_links_leaving_the_repo_are_refused(tree):
    os.symlink(tree.parent / "outside" / "secret", tree / "to-file")
    os.symlink(tree.parent / "outside", tree / "to-dir")
    os.symlink("../outside/secret", tree / "relative")
    os.symlink("/dev/zero", tree / "zero")
    os.symlink(tree.parent / "outside" / "missing", tree / "dangling")
    view = RepoView(tree)
    for rel in ("to-file", "relative", "zero", "dangling"):
        _refused(view.is_file, rel, match="outside the repository")
        _refused(view.read_text, rel, match="outside the repository")
    _refused(view.is_dir, "to-dir", match="outside the repository")
    _refused(view.listdir, "to-dir", match="outside the repository")
    # through the link, to a file that does not exist either: still refused, so nothing is written there
    _refused(view.is_file, "to-dir/state.json", match="outside the repository")


def test_a_link_to_an_outside_file_is_not_a_directory(tree):
    """Walks ask is_dir of every entry: a README linked to ../docs is passed over unread, never
    refused (remark42's backend/README.md, pocket-id's e2e fixtures), and still never read."""
    os.symlink("../outside/secret", tree / "README.md")
    os.symlink(tree.parent / "outside" / "missing", tree / "dangling")
    view = RepoView(tree)
    assert view.is_dir("README.md") is False and view.is_dir("dangling") is False
    _refused(view.read_text, "README.md", match="outside the repository")


def test_a_go_walk_passes_an_outside_doc_link(tree):
    from dockgen.detectors import go

    (tree / "go.mod").write_text("module example.com/x\n\ngo 1.22\n")
    (tree / "main.go").write_text('package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n')
    os.symlink("../outside/secret", tree / "README.md")
    facts = go.detect(RepoView(tree))
    assert facts is not None and facts.module.value == "example.com/x"


def test_fifos_are_never_opened(tree):
    os.mkfifo(tree / "requirements.txt")
    view = RepoView(tree)
    start = time.monotonic()
    _refused(view.is_file, "requirements.txt", match="FIFO")
    _refused(view.read_text, "requirements.txt", match="FIFO")
    assert view.exists("requirements.txt") and not view.is_dir("requirements.txt")
    assert time.monotonic() - start < 2


def test_devices_are_refused_through_an_inside_path(tree, monkeypatch):
    # /dev/null is outside the repo; pretend the repo root is / to reach the device check itself.
    view = RepoView("/")
    _refused(view.read_text, "dev/null", match="character device")
    _refused(view.is_file, "dev/zero", match="character device")


def test_paths_must_be_plain_and_relative(tree):
    view = RepoView(tree)
    for bad in ("../x", "/etc/passwd", "a/../../x", "a\\b", "a\x00b"):
        with pytest.raises(InvalidInputError):
            view.read_text(bad)


def test_size_caps(tree):
    (tree / "big.json").write_bytes(b" " * (repo_mod.MANIFEST_MAX_BYTES + 1))
    view = RepoView(tree)
    _refused(view.read_text, "big.json", match="byte limit")
    assert len(view.read_text("big.json", repo_mod.LOCKFILE_MAX_BYTES)) == repo_mod.MANIFEST_MAX_BYTES + 1


def test_total_read_budget_and_deadline(tree):
    for name in ("f", "g", "h"):
        (tree / name).write_text("x" * 1000)
    view = RepoView(tree, total_max_bytes=2500)
    for _ in range(5):  # the budget counts distinct bytes: a workspace root reads its lockfile per member
        view.read_text("f")
    view.read_text("g")
    _refused(view.read_text, "h", match="read limit")
    slow = RepoView(tree, deadline_seconds=0.0)
    time.sleep(0.01)
    _refused(slow.read_text, "f", match="longer than")


def test_utf8_only_bom_allowed(tree):
    (tree / "bom.toml").write_bytes(b"\xef\xbb\xbfa = 1\n")
    (tree / "latin1.toml").write_bytes("a = 'caf\u00e9'\n".encode("latin-1"))
    (tree / "utf16.json").write_bytes('{"a": 1}'.encode("utf-16"))
    view = RepoView(tree)
    assert view.read_text("bom.toml") == "a = 1\n"
    _refused(view.read_text, "latin1.toml", match="latin1.toml: is not UTF-8")
    _refused(view.read_text, "utf16.json", match="UTF-16")


def test_writer_reads_only_a_regular_existing_output(tree):
    os.mkfifo(tree / "Dockerfile")
    with pytest.raises(InvalidInputError, match="FIFO"):
        decide(tree / "Dockerfile", "FROM x\n", display="Dockerfile")
    os.unlink(tree / "Dockerfile")
    os.symlink("src/a.txt", tree / "Dockerfile")
    with pytest.raises(InvalidInputError, match="symlink"):
        decide(tree / "Dockerfile", "FROM x\n", display="Dockerfile")
    assert read_regular_file(tree / "missing", 10) is None


# ---- parsers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("text, match", [
    ('{"a": 1, "a": 2}', "duplicate key"),
    ('{"a": NaN}', "NaN"),
    ('[Infinity]', "Infinity"),
    ('[-Infinity]', "Infinity"),
    ("[" * 100_000 + "]" * 100_000, "nests deeper"),
    ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), "nests deeper"),
    ('{"a": "\\ud800"}', "surrogate"),
    ('{"a": 1,}', "line 1 column"),
    ("1" * 5000, "digits"),
])
def test_json_refusals(text, match):
    _refused(load_json, text, "package.json", match=match)


def test_json_accepts_the_ordinary():
    assert load_json('{"a": [1, {"b": "\\ud83d\\ude00"}]}', "x.json") == {"a": [1, {"b": "\U0001F600"}]}
    load_json("[" * MAX_DEPTH + "]" * MAX_DEPTH, "x.json")


@pytest.mark.parametrize("text, match", [
    ('a = 1\na = 2\nb = 3\n', "line 2"),
    ('a = 1\na = 2', "line 2"),
    ('[p]\nname = "x\n', "line 2"),
    ("a = " + "[" * 3000 + "]" * 3000, "nests deeper"),
])
def test_toml_errors_name_file_and_line(text, match):
    err = _refused(load_toml, text, "pyproject.toml", match=match)
    assert str(err).startswith("pyproject.toml: ")


XXE = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><p>&x;</p>'
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
          '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]><p>&c;</p>')
PARAM = '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY % r SYSTEM "http://127.0.0.1:9/x.dtd"> %r;]><p/>'


@pytest.mark.parametrize("text", [XXE, LAUGHS, PARAM])
def test_xml_dtds_and_entities_are_refused(text):
    _refused(load_xml, text, "pom.xml", match="unsafe XML")


def test_xml_depth_and_syntax():
    _refused(load_xml, "<a>" * (MAX_DEPTH + 1) + "</a>" * (MAX_DEPTH + 1), "pom.xml", match="nests deeper")
    _refused(load_xml, "<a>", "pom.xml", match="invalid XML")
    assert load_xml("<project><a>1</a></project>", "pom.xml").tag == "project"


# ---- renderer self-check ------------------------------------------------------------------------------


def _text(plan=None):
    plan = plan or sample_plan()
    return plan, with_marker(render_dockerfile_body(plan))


def test_self_check_refuses_shell_form_where_the_plan_says_exec():
    plan, text = _text()
    tampered = text.replace('ENTRYPOINT ["/app"]', "ENTRYPOINT /app")
    assert tampered != text
    with pytest.raises(RenderError, match="JSON"):
        verify_against_plan(tampered, plan)


def test_self_check_refuses_anything_before_the_header():
    plan, text = _text()
    for prefix in ("# escape=`\n", "# syntax=docker/dockerfile:1\n", "\n", " "):
        with pytest.raises(RenderError, match="header"):
            verify_against_plan(prefix + text, plan)


def test_self_check_refuses_control_characters_and_continued_comments():
    plan, text = _text()
    with pytest.raises(RenderError, match="control"):
        verify_against_plan(text.replace("EXPOSE 8080", "EXPOSE 8080\r"), plan)
    with pytest.raises(RenderError, match="backslash"):
        verify_against_plan(text.replace("# no HEALTHCHECK: the runner has no probe binary",
                                         "# no HEALTHCHECK \\"), plan)


def test_self_check_refuses_values_that_do_not_round_trip():
    plan, text = _text()
    with pytest.raises(RenderError):
        verify_against_plan(text.replace('APP_ENV="production"', 'APP_ENV="produc\\tion"'), plan)


def test_rendered_data_is_never_rendered_again():
    st = sample_plan().stages[1]
    plan = sample_plan().model_copy(update={"stages": (sample_plan().stages[0], st.model_copy(update={
        "instructions": (m.Label(pairs=(("org.example.x", "{{ 7*7 }} {% if 1 %}x{% endif %}"),)),
                         *st.instructions)}))})
    plan, text = _text(plan)
    assert '"{{ 7*7 }} {% if 1 %}x{% endif %}"' in text and "49" not in text
