"""Typed sources and records: what they hold, and that they show and serialise as the old text."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from dockgen.detectors.facts import DEFAULT, DEFAULT_SOURCE, Fact, Source, Unpinned, default, fact


def test_a_file_source_keeps_file_and_field_and_shows_as_text():
    s = Source.of("pyproject.toml", "[project] requires-python")
    assert (s.file, s.field, s.where) == ("pyproject.toml", "[project] requires-python", "pyproject.toml")
    assert str(s) == "pyproject.toml [project] requires-python"
    assert str(Source.of("uv.lock")) == "uv.lock" and Source.of("uv.lock").field is None


def test_fact_helper_takes_file_and_field_and_serialises_the_text():
    f = fact("3.11", "pyproject.toml", "[project] requires-python")
    assert f.source == Source.of("pyproject.toml", "[project] requires-python")
    assert f.model_dump(mode="json") == {"value": "3.11", "source": "pyproject.toml [project] requires-python"}
    assert json.loads(f.model_dump_json())["source"] == "pyproject.toml [project] requires-python"


def test_default_option_and_combined_sources():
    assert str(DEFAULT_SOURCE) == DEFAULT and (DEFAULT_SOURCE.file, DEFAULT_SOURCE.option) == (None, None)
    assert default(8080).source == DEFAULT_SOURCE
    opt = Source.from_option("--python-version", "--python-version option")
    assert (opt.file, opt.where, str(opt)) == (None, "--python-version", "--python-version option")
    assert str(Source.from_option("--port")) == "--port"
    both = Source.all(Source.of("mvnw"), Source.of(".mvn/wrapper/maven-wrapper.properties"))
    assert both.file == "mvnw" and str(both) == "mvnw, .mvn/wrapper/maven-wrapper.properties"
    assert str(Source.of("requirements.txt").plus("(django) + manage.py")) == "requirements.txt (django) + manage.py"
    assert str(Source.of("pyproject.toml", "[project] dependencies").plus("(flask)")) == \
        "pyproject.toml [project] dependencies (flask)"


def test_a_fact_source_must_be_a_source_not_text():
    with pytest.raises(ValidationError):
        Fact(value=1, source="pyproject.toml [project] name")


def test_unpinned_record_shows_as_the_old_line():
    u = Unpinned(source=Source.of("requirements.txt", "line 3"), spec="flask>=2", name="flask")
    assert str(u) == "requirements.txt line 3: flask>=2" and u.source.file == "requirements.txt"
    e = Unpinned(source=Source.of("requirements.txt", "line 1"), spec="-e ./lib", kind="editable")
    assert e.item == "-e ./lib (editable install)"
    assert e.model_dump() == "requirements.txt line 1: -e ./lib (editable install)"
