"""Ranked app facts: option > read/derived candidate > assumed (a warning, refused under --strict)."""

from __future__ import annotations

import pytest

from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.facts import Candidate, Source
from dockgen.generator.evidence import choose
from dockgen.generator.options import Options

ASSUMED = Candidate(value=8000, evidence=Source.default("gunicorn's default"), confidence="assumed")
READ = Candidate(value=5001, evidence=Source.of("app/config.py", "line 7"), confidence="read")


def test_option_wins_over_what_the_app_says():
    got = choose("port", "port", (READ,), Options(port=9000), ASSUMED)
    assert (got.value, str(got.source), got.confidence, got.warning) == (9000, "--port", None, None)


def test_a_read_candidate_wins_over_the_assumption():
    got = choose("port", "port", (READ,), Options(), ASSUMED)
    assert got.value == 5001 and got.header == "from app/config.py line 7" and got.warning is None


def test_assumed_value_warns_with_the_way_to_set_it():
    got = choose("port", "port", (), Options(), ASSUMED)
    assert got.value == 8000 and got.confidence == "assumed"
    assert got.warning == "port 8000 is assumed (gunicorn's default); set it with --port or `port = …` in dockgen.toml"


def test_strict_refuses_an_assumed_value():
    with pytest.raises(InvalidInputError, match="--strict refuses assumed values"):
        choose("port", "port", (), Options(strict=True), ASSUMED)
    assert choose("port", "port", (READ,), Options(strict=True), ASSUMED).value == 5001
