"""Property tests, Java: every pom.xml field that reaches the Dockerfile, drawn from hostile
strategies (escaped as XML text, or spliced in raw to break the document). Each example is refused
cleanly (exit 5, one line) or renders a Dockerfile that parses back to exactly the planned
instructions (support/props.py)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import given
from hypothesis import strategies as st

from support.props import EXAMPLES, Budget, example_repo, perturbed, plan_or_refuse, profile, write

BASE = (EXAMPLES / "java-maven-plain" / "pom.xml").read_text("utf-8")
#: placeholder → (the example's own text, valid alternatives)
FIELDS = {
    "group": ("<groupId>com.example</groupId>", ["com.example", "org.acme.app", "io.x"]),
    "artifact": ("<artifactId>hello-plain</artifactId>", ["hello-plain", "app", "my.app_2"]),
    "version": ("<version>1.0.0</version>", ["1.0.0", "2.1-SNAPSHOT", "3.0.0.RELEASE"]),
    "name": ("<name>hello-plain</name>", ["hello-plain", "Hello, World", "ünï"]),
    "description": ("<description>A plain Maven jar serving HTTP with the JDK's built-in server</description>",
                    ["A plain jar", "x" * 250, "déjà vu"]),
    "license": ("<name>MIT</name>", ["MIT", "Apache-2.0", "EPL 2.0"]),
    "release": ("<java.release>21</java.release>", ["21", "17", "11", "1.8"]),
    "final": ("<finalName>${project.artifactId}</finalName>", ["${project.artifactId}", "app", "svc-1.0"]),
    "main": ("<mainClass>com.example.hello.App</mainClass>", ["com.example.hello.App", "App", "a.b.C_d"]),
    "prefix": ("<classpathPrefix>lib/</classpathPrefix>", ["lib/", "deps/", "lib"]),
}

budget = Budget()


def _pom(values: dict[str, str], raw: bool) -> str:
    text = BASE
    for key, value in values.items():
        original, _ = FIELDS[key]
        tag = original[1: original.index(">")]
        text = text.replace(original, f"<{tag}>{value if raw else escape(value)}</{tag}>", 1)
    return text


@profile(350)
@given(values=perturbed({k: v[1] for k, v in FIELDS.items()}, max_bad=3, max_size=40),
       raw=st.sampled_from([False, False, False, True]))
def _pom_fields(values, raw):
    with example_repo("java-maven-plain") as repo:
        write(repo, "pom.xml", _pom(values, raw))
        plan_or_refuse(repo, list(values.values()), budget)


def test_pom_fields():
    _pom_fields()
    budget.require(350)
    assert budget.rendered >= 25 and budget.refused >= 25, budget
