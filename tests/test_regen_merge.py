"""Properties of the 3-way merge behind `init --merge` (generator/merge.py, on PyPI merge3)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dockgen.generator.merge import has_conflict_markers, merge_text

LINE = st.sampled_from(["FROM a", "RUN x", "COPY . .", "USER 1", "ENV A=1", "EXPOSE 80", "# note", "CMD [\"x\"]"])
TEXT = st.lists(LINE, max_size=12).map(lambda ls: "".join(f"{ln}\n" for ln in ls))


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT)
def test_one_sided_changes_merge_cleanly(base, other):
    # only dockgen changed: take the new render; only the person changed: keep their file
    assert merge_text(base, base, other) == (other, 0)
    assert merge_text(base, other, base) == (other, 0)
    # both made the same change
    assert merge_text(base, other, other) == (other, 0)


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT, TEXT)
def test_conflicts_are_counted_and_marked(base, ours, theirs):
    text, conflicts = merge_text(base, ours, theirs)
    assert (conflicts > 0) == has_conflict_markers(text)
    if conflicts == 0:
        assert "<<<<<<<" not in text


def test_disjoint_edits_both_survive():
    base = "FROM a\nRUN x\nCOPY . .\nUSER 1\nCMD [\"x\"]\n"
    # edits at least one unchanged line apart (adjacent edits conflict, as in git)
    ours = "FROM a\nRUN x\n# my note\nCOPY . .\nUSER 1\nCMD [\"x\"]\n"
    theirs = "FROM b\nRUN x\nCOPY . .\nUSER 1\nEXPOSE 80\nCMD [\"x\"]\n"
    text, conflicts = merge_text(base, ours, theirs)
    assert conflicts == 0
    assert text == "FROM b\nRUN x\n# my note\nCOPY . .\nUSER 1\nEXPOSE 80\nCMD [\"x\"]\n"


def test_overlapping_edits_conflict_in_diff3_form():
    text, conflicts = merge_text("A\nB\nC\n", "A\nmine\nC\n", "A\ntheirs\nC\n", name="Dockerfile")
    assert conflicts == 1
    assert text == ("A\n<<<<<<< Dockerfile (your edits)\nmine\n||||||| Dockerfile (dockgen's last render)\nB\n"
                    "=======\ntheirs\n>>>>>>> Dockerfile (dockgen's new render)\nC\n")
