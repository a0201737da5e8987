"""Property tests, dockgen.toml: the project's own options are repository data too (command, port,
main, env, labels, ignore patterns, extra packages, versions, healthcheck path). Each example is
refused cleanly (exit 5, one line) or renders a Dockerfile that parses back to exactly the planned
instructions, with ENV/LABEL values unescaping to the raw values (support/props.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from support.props import Budget, example_repo, perturbed, plan_or_refuse, profile, toml_str, write

FIELDS = {
    "cmd0": ["gunicorn", "python", "/usr/local/bin/app"],
    "cmd1": ["app:app", "-m", "--bind=0.0.0.0:8000"],
    "env_key": ["APP_ENV", "FEATURE_X", "_Y"],
    "env_value": ["production", "a b  c", 'say "hi"', "$HOME", "C:\\path", "x" * 300, "ünï", ""],
    "label_key": ["org.example.team", "com.acme.owner", "maintainer"],
    "label_value": ["platform", "a \"quoted\" value", "${not_expanded}", "ünï"],
    "ignore": ["data/", "*.csv", "!keep.csv", "**/secret"],
    "package": ["libpq5=15.*", "tzdata=2025*", "ca-certificates=20230311*"],
    "python": ["3.11", "3.12", "3.13"],
    "health": ["/", "/healthz", "/status?full=1"],
}
budget = Budget()


@profile(350)
@given(v=perturbed(FIELDS, max_bad=2, max_size=30), port=st.one_of(st.integers(-5, 70000), st.sampled_from([8000, 8080])),
       runner=st.sampled_from(["slim", "slim", "distroless", "alpine"]))
def _config_fields(v, port, runner):
    with example_repo("python-flask-pip") as repo:
        write(repo, "dockgen.toml", "\n".join([
            f"runner = {toml_str(runner)}",
            f"command = [{toml_str(v['cmd0'])}, {toml_str(v['cmd1'])}]",
            f"port = {port}",
            f"healthcheck = {toml_str(v['health'])}",
            f"packages = [{toml_str(v['package'])}]",
            f"ignore = [{toml_str(v['ignore'])}]",
            "[versions]", f"python = {toml_str(v['python'])}",
            "[env]", f"{toml_str(v['env_key'])} = {toml_str(v['env_value'])}",
            "[labels]", f"{toml_str(v['label_key'])} = {toml_str(v['label_value'])}",
        ]) + "\n")
        plan_or_refuse(repo, list(v.values()), budget)


def test_dockgen_toml_fields():
    _config_fields()
    budget.require(350)
    assert budget.rendered >= 25 and budget.refused >= 25, budget
