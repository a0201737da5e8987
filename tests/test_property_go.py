"""Property tests, Go: every go.mod / source field that reaches the Dockerfile (module path, go and
toolchain versions, local replace targets, main package directory names, the listen port), drawn
from hostile strategies. Each example is refused cleanly (exit 5, one line) or renders a Dockerfile
that parses back to exactly the planned instructions (support/props.py)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from support.props import (EXAMPLES, Budget, example_repo, perturbed, plan_or_refuse, profile,
                           safe_filename, write)

MAIN_GO = (EXAMPLES / "go-static" / "main.go").read_text("utf-8")
FIELDS = {
    "module": ["example.com/go-static", "github.com/acme/svc", "app", "example.com/a/v2"],
    "go": ["1.22", "1.22.5", "1.23", "1.21"],
    "toolchain": ["", "go1.22.5", "go1.23.1"],
    "replace": ["", "./lib", "lib", "./third_party/lib"],
    "cmd": ["", "api", "server", "my-svc"],
    "port": ["8080", "3000", "65535", "1"],
}
budget = Budget()


def _word(v: str) -> str:
    """go.mod accepts a bare word or a Go-quoted string; quote anything with spaces or quotes."""
    return v if v and not any(c in v for c in ' \t\n\r"`\\/') or (v and "/" in v and " " not in v
                                                                  and not any(c in v for c in '\t\n\r"`\\')) \
        else json.dumps(v)


@profile(350)
@given(values=perturbed(FIELDS, max_bad=2, max_size=30), quote=st.booleans())
def _go_fields(values, quote):
    with example_repo("go-static") as repo:
        lines = [f"module {json.dumps(values['module']) if quote else _word(values['module'])}", "",
                 f"go {values['go']}"]
        if values["toolchain"]:
            lines.append(f"toolchain {values['toolchain']}")
        rep = values["replace"]
        if rep:
            lines += ["", "require example.com/lib v0.0.0", "",
                      f"replace example.com/lib => {json.dumps(rep) if quote else _word(rep)}"]
            if all(safe_filename(p) for p in rep.split("/") if p not in ("", ".")) and not rep.startswith("/"):
                try:
                    write(repo, f"{rep}/go.mod", "module example.com/lib\n\ngo 1.22\n")
                except (OSError, ValueError):
                    pass
        write(repo, "go.mod", "\n".join(lines) + "\n")
        src = MAIN_GO.replace('port = "8080"', f"port = {json.dumps(values['port'])}")
        if values["cmd"] and safe_filename(values["cmd"]):
            (repo / "main.go").unlink()
            try:
                write(repo, f"cmd/{values['cmd']}/main.go", src)
            except (OSError, ValueError):
                write(repo, "main.go", src)
        else:
            write(repo, "main.go", src)
        plan_or_refuse(repo, list(values.values()), budget)


def test_go_fields():
    _go_fields()
    budget.require(350)
    assert budget.rendered >= 25 and budget.refused >= 25, budget
