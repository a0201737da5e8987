"""compose.yaml quoting: arbitrary repository text never changes the file's structure.

The text is built from an ``AppService`` whose repo-derived fields (the member path used as build
context, the Dockerfile path, writable paths, variable names and URL schemes, the driver and source
notes in the comments) are drawn from hostile strategies. It is parsed back with ``yaml.safe_load``
and compared with what the plan says: the same services, the same keys, every value equal after
compose's ``$$`` unescaping, and no ``${`` interpolation other than the file's own secret references.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dockgen.detectors.facts import Fact, ServiceNeed, ServiceVar, Source
from dockgen.generator import compose
from dockgen.generator.render import split_marker, with_marker

SETTINGS = settings(max_examples=400, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
#: Anything a repository can hold, including YAML and compose syntax and control characters.
hostile = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=40) | st.sampled_from(
    ["${HOME}", "$$", "a: b", "- x", "'\"", "\n services:\n  evil:\n   image: x", "#", "&a *a", "!!python/object", "{x}",
     "[1]", "~", "null", "yes", "0x10", ".inf", "\u2028", "\x85"])
names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True)
roles = st.sampled_from(["url", "host", "port", "user", "password", "database"])
kinds = st.sampled_from(["postgres", "mysql", "mariadb", "redis", "valkey", "mongodb", "rabbitmq"])
INTERP = re.compile(r"(?<!\$)(?:\$\$)*\$\{([^}]*)\}")


@st.composite
def needs(draw):
    env = tuple(ServiceVar(name=draw(names | hostile), role=draw(roles), source=Source.of(draw(hostile), draw(hostile)),
                           scheme=draw(st.just("") | hostile)) for _ in range(draw(st.integers(0, 3))))
    return ServiceNeed(kind=draw(kinds), driver=Fact(value=draw(hostile), source=Source.of(draw(hostile), "x")), env=env)


@st.composite
def apps(draw):
    vols = tuple((f"app-v{i}", draw(hostile)) for i in range(draw(st.integers(0, 2))))
    mounts = compose.Mounts(volumes=vols, tmpfs=("/tmp", *draw(st.lists(hostile, max_size=2))),
                            writable_root=draw(st.just("") | hostile))
    return compose.AppService(name="app", stack=draw(hostile), context=draw(hostile), dockerfile=draw(hostile),
                              port=draw(st.none() | st.integers(1, 65535)), mounts=mounts,
                              init=(draw(st.booleans()), draw(hostile)), services=tuple(draw(st.lists(needs(), max_size=3))))


def unescape(value: str) -> str:
    return value.replace("$$", "$")


@SETTINGS
@given(apps())
@example(compose.AppService(name="app", stack="x", context="${EVIL}\nservices:", dockerfile="a\n# b", port=80,
                            mounts=compose.Mounts(volumes=(("app-v", "/data\n  evil: 1"),)), init=(True, "r\nx: 1")))
def test_repo_text_never_changes_the_structure(app):
    text = with_marker(compose.render_body((app,)))
    _, body = split_marker(text)
    assert body.count("\nservices:\n") == 1
    data = compose_load(text)
    kinds = compose.kinds_of((app,))
    assert list(data["services"]) == ["app", *kinds]
    block = data["services"]["app"]
    assert unescape(block["build"]["context"]) == app.context and unescape(block["build"]["dockerfile"]) == app.dockerfile
    assert [unescape(t) for t in block["tmpfs"]] == list(app.mounts.tmpfs)
    assert [(v["source"], unescape(v["target"])) for v in block.get("volumes", [])] == list(app.mounts.volumes)
    assert block["read_only"] is (not app.mounts.writable_root) and block["cap_drop"] == ["ALL"]
    # Every interpolation compose would do is one of the file's own secret references.
    secrets = {compose.secret_var(k, (app,)) for k in kinds}
    for value in _strings(data):
        for ref in INTERP.findall(value):
            name, _, msg = ref.partition(":?")
            assert name in secrets and msg == f"set {name} in .env", value
    env = block.get("environment", {})
    wanted = {v.name for n in app.services for v in n.env if compose.ENV_NAME.fullmatch(v.name)}
    assert set(env) == wanted
    head = body.split("services:\n", 1)[0]  # the notes stay comments: nothing before "services:" is data
    assert all(line.startswith("# ") for line in head.splitlines())


def compose_load(text: str):
    import yaml

    return yaml.safe_load(text)


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for k, v in node.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from _strings(v)


@SETTINGS
@given(hostile)
def test_comment_is_one_line(text):
    line = compose.comment(text)
    import yaml

    assert line.startswith("# ") and len(line.splitlines()) == 1 and yaml.safe_load(line + "\nk: 1") == {"k": 1}
