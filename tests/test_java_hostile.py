"""Hostile pom.xml values: free text only ever lands in quoted LABEL values; anything else is refused."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dockgen
from dockgen.detectors.errors import InvalidInputError
from support.lint import assert_clean, parse
from test_java_plan import MAIN_CP
from test_java_detector import pom

# XML 1.0 allows tab, newline, CR and everything from space upwards (minus surrogates and U+FFFE/F).
XML_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff",
                                 min_codepoint=9).filter(lambda c: c in "\t\n\r" or ord(c) >= 32), max_size=80)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=XML_TEXT, description=XML_TEXT)
def test_free_text_stays_inside_labels(tmp_path_factory, name, description):
    root = tmp_path_factory.mktemp("p")
    (root / "pom.xml").write_text(pom(f"<name>{escape(name)}</name><description>{escape(description)}</description>"
                                      + MAIN_CP), encoding="utf-8")
    try:
        planned = dockgen.plan(root)
    except InvalidInputError:
        return
    text = planned.dockerfile
    commands = [i.cmd.upper() for i in parse(text)]
    # Exactly the instructions dockgen plans: no injected RUN/ENTRYPOINT/etc. from the text.
    assert commands.count("LABEL") == 1 and commands.count("ENTRYPOINT") == 1
    assert commands.count("RUN") == 3


@pytest.mark.parametrize("field,value", [
    ("artifactId", "a b"), ("artifactId", "a\nRUN id"), ("version", "1 && id"),
    ("finalName", "../../etc/passwd"), ("finalName", "x\"]"),
])
def test_values_reaching_instructions_are_refused(tmp_path, field, value):
    gav = "<groupId>g</groupId>" + (f"<artifactId>{escape(value)}</artifactId>" if field == "artifactId"
                                    else "<artifactId>a</artifactId>")
    gav += f"<version>{escape(value)}</version>" if field == "version" else "<version>1</version>"
    body = MAIN_CP.replace("<build>", f"<build><finalName>{escape(value)}</finalName>") if field == "finalName" else MAIN_CP
    (tmp_path / "pom.xml").write_text(pom(body, gav=gav))
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(tmp_path)
    assert e.value.exit_code == 5 and e.value.file == "pom.xml"


def test_control_characters_in_description_are_folded(tmp_path):
    (tmp_path / "pom.xml").write_text(pom("<description>line one\r\n\tline two</description>" + MAIN_CP))
    planned = dockgen.plan(tmp_path)
    assert 'org.opencontainers.image.description="line one line two"' in planned.dockerfile
    assert_clean(planned.dockerfile)
