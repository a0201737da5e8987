"""compose.yaml: the app service's hardening, the backing services' wiring, and the file's rules.

The services come from ``AppFacts.services``; these tests build ``ServiceNeed`` records directly
(the detectors that fill them are tested with the detectors). ``docker compose config -q`` checks
every golden compose.yaml where the compose plugin is installed (the lab: ``lab env``).
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import dockgen
from dockgen.drift_check import check_files
from dockgen.detectors.errors import RefusedError
from dockgen.detectors.facts import Fact, ServiceNeed, ServiceVar, Source
from dockgen.generator import compose
from dockgen.generator.catalog import service_catalog
from dockgen.generator.render import with_marker
from support import examples as ex

SRC = Source.of("settings.py", "line 3")
SERVICES_GOLDEN = Path(__file__).parent / "golden-compose" / "services.yaml"


def need(kind: str, *vars_: tuple[str, str] | tuple[str, str, str]) -> ServiceNeed:
    env = tuple(ServiceVar(name=v[0], role=v[1], source=SRC, scheme=v[2] if len(v) > 2 else "") for v in vars_)
    return ServiceNeed(kind=kind, driver=Fact(value=f"{kind}-driver", source=Source.of("requirements.txt", "line 1")),
                       env=env)


def app_with(*needs: ServiceNeed, example: str = "python-flask-dburl") -> compose.AppService:
    p = dockgen.plan(ex.project(example))
    app = compose.app_service(p.plan, p.facts, p.options, (True, "test"))
    return dataclasses.replace(app, services=needs)


def every_kind() -> compose.AppService:
    return app_with(need("postgres", ("DATABASE_URL", "url", "postgresql+psycopg"), ("DB_PASSWORD", "password")),
                    need("mysql", ("MYSQL_HOST", "host"), ("MYSQL_PORT", "port"), ("MYSQL_USER", "user"),
                         ("MYSQL_PASS", "password"), ("MYSQL_DB", "database")),
                    need("mariadb", ("MARIA_URL", "url")),
                    need("redis", ("REDIS_URL", "url")),
                    need("valkey", ("CACHE_URL", "url"), ("CACHE_PASSWORD", "password")),
                    need("mongodb", ("MONGO_URL", "url")),
                    need("rabbitmq", ("AMQP_URL", "url")))


def test_services_golden(update_golden):
    """Every kind at once (the ones without a lab stand-in are proved here and by ``compose config``)."""
    text = with_marker(compose.render_body((every_kind(),), compose.service_images((every_kind(),))))
    if update_golden:
        SERVICES_GOLDEN.parent.mkdir(exist_ok=True)
        SERVICES_GOLDEN.write_text(text, encoding="utf-8")
    assert text == SERVICES_GOLDEN.read_text("utf-8")


def test_each_service_is_pinned_probed_persisted_and_awaited():
    data = yaml.safe_load(compose.render_body((every_kind(),)))
    app = data["services"]["app"]
    for kind, entry in service_catalog().items():
        svc = data["services"][kind]
        assert svc["image"] == entry.image and ":" in svc["image"]
        assert svc["healthcheck"]["test"] == ["CMD", *entry.health]
        assert svc["volumes"] == [f"{kind}-data:{entry.data}"] and f"{kind}-data" in data["volumes"]
        assert app["depends_on"][kind] == {"condition": "service_healthy"}
        assert "ports" not in svc  # reachable by the app only
    assert data["services"]["postgres"]["image"] == "postgres:17" and data["services"]["redis"]["image"] == "redis:8"


def test_app_env_is_exactly_the_names_the_app_reads():
    env = yaml.safe_load(compose.render_body((every_kind(),)))["services"]["app"]["environment"]
    assert set(env) == {"DATABASE_URL", "DB_PASSWORD", "MYSQL_HOST", "MYSQL_PORT", "MYSQL_USER", "MYSQL_PASS",
                        "MYSQL_DB", "MARIA_URL", "REDIS_URL", "CACHE_URL", "CACHE_PASSWORD", "MONGO_URL", "AMQP_URL"}
    assert env["DATABASE_URL"] == "postgresql+psycopg://app:${DB_PASSWORD:?set DB_PASSWORD in .env}@postgres:5432/app"
    assert env["DB_PASSWORD"] == "${DB_PASSWORD:?set DB_PASSWORD in .env}"
    assert (env["MYSQL_HOST"], env["MYSQL_PORT"], env["MYSQL_USER"], env["MYSQL_DB"]) == ("mysql", "3306", "app", "app")
    assert env["MARIA_URL"] == "mysql://app:${MARIADB_PASSWORD:?set MARIADB_PASSWORD in .env}@mariadb:3306/app"
    assert env["REDIS_URL"] == "redis://redis:6379/0"  # no password the app reads: no auth, not published
    assert env["CACHE_URL"] == "redis://:${CACHE_PASSWORD:?set CACHE_PASSWORD in .env}@valkey:6379/0"
    assert env["AMQP_URL"].startswith("amqp://app:${RABBITMQ_DEFAULT_PASS:?")


def test_service_password_is_the_apps_variable_and_never_a_value():
    app = every_kind()
    data = yaml.safe_load(compose.render_body((app,)))
    pg = data["services"]["postgres"]["environment"]
    assert pg == {"POSTGRES_USER": "app", "POSTGRES_PASSWORD": "${DB_PASSWORD:?set DB_PASSWORD in .env}",
                  "POSTGRES_DB": "app"}
    valkey = data["services"]["valkey"]
    assert valkey["command"][-2:] == ["--requirepass", "${CACHE_PASSWORD:?set CACHE_PASSWORD in .env}"]
    assert valkey["environment"]["REDISCLI_AUTH"] == "${CACHE_PASSWORD:?set CACHE_PASSWORD in .env}"
    assert compose.env_example_body((app,)).splitlines()[2:] == [
        "DB_PASSWORD=", "MYSQL_PASS=", "MARIADB_PASSWORD=", "CACHE_PASSWORD=", "MONGO_INITDB_ROOT_PASSWORD=",
        "RABBITMQ_DEFAULT_PASS="]


def test_no_services_no_env_example_and_no_depends_on():
    app = app_with()
    assert compose.env_example_body((app,)) is None
    svc = yaml.safe_load(compose.render_body((app,)))["services"]
    assert list(svc) == ["app"] and "depends_on" not in svc["app"] and "environment" not in svc["app"]


def test_app_is_locked_down_by_default():
    app = yaml.safe_load(compose.render_body((app_with(),)))["services"]["app"]
    assert app["read_only"] is True and app["tmpfs"] == ["/tmp"]
    assert app["cap_drop"] == ["ALL"] and app["security_opt"] == ["no-new-privileges:true"]
    assert app["deploy"]["resources"]["limits"] == compose.LIMITS
    assert app["ports"] == ["127.0.0.1:5000:5000"] and app["restart"] == "unless-stopped" and app["init"] is True
    assert "healthcheck" not in app  # the image's HEALTHCHECK is inherited


def test_writable_dirs_become_volumes_or_tmpfs():
    data = yaml.safe_load(dockgen.plan(ex.project("python-sqlite-data")).compose_body)
    assert data["services"]["app"]["volumes"] == [{"type": "volume", "source": "app-data", "target": "/app/data"}]
    assert "app-data" in data["volumes"]
    nxt = yaml.safe_load(dockgen.plan(ex.project("node-nextjs-start")).compose_body)["services"]["app"]
    assert nxt["tmpfs"] == ["/tmp", "/app/.next/cache:uid=65532,gid=65532"] and nxt["read_only"] is True


def test_limits_come_from_the_options(tmp_path):
    shutil.copytree(ex.project("python-flask-dburl"), tmp_path / "p")
    (tmp_path / "p" / "dockgen.toml").write_text('compose_cpus = "0.5"\ncompose_memory = "1g"\ncompose_pids = 64\n')
    app = yaml.safe_load(dockgen.plan(tmp_path / "p").compose_body)["services"]["app"]
    assert app["deploy"]["resources"]["limits"] == {"cpus": "0.5", "memory": "1g", "pids": 64}


@pytest.mark.parametrize("how", ["flag", "file"])
def test_compose_can_be_turned_off(tmp_path, how):
    shutil.copytree(ex.project("python-flask-dburl"), tmp_path / "p")
    if how == "file":
        (tmp_path / "p" / "dockgen.toml").write_text("compose = false\n")
    result = dockgen.generate(tmp_path / "p", **({"compose": False} if how == "flag" else {}))
    assert [f.path for f in result.files] == ["Dockerfile", ".dockerignore"]
    assert not (tmp_path / "p" / "compose.yaml").exists()


def test_init_writes_compose_rerun_identical_edit_is_drift(tmp_path):
    shutil.copytree(ex.project("python-sqlite-data"), tmp_path / "p")
    root = tmp_path / "p"
    first = dockgen.generate(root)
    assert "compose.yaml" in [f.path for f in first.files]
    before = (root / "compose.yaml").read_bytes()
    again = dockgen.generate(root)
    assert {f.path: f.status for f in again.files}["compose.yaml"] == "identical"
    assert (root / "compose.yaml").read_bytes() == before
    (root / "compose.yaml").write_text(before.decode().replace("512M", "2G"))
    files = {f.path: f for f in check_files(root).files}
    assert files["compose.yaml"].status == "drift" and "edited by hand" in files["compose.yaml"].reasons[0]
    with pytest.raises(RefusedError, match="refusing"):
        dockgen.generate(root)
    dockgen.generate(root, merge=True)  # the edit is kept (nothing new from dockgen to merge in)
    assert "2G" in (root / "compose.yaml").read_text()
    forced = dockgen.generate(root, force=True)
    assert {f.path: f.status for f in forced.files}["compose.yaml"] == "forced"
    assert (root / "compose.yaml").read_bytes() == before


def _compose_cli() -> list[str] | None:
    docker = shutil.which("docker")
    if not docker:
        return None
    ok = subprocess.run([docker, "compose", "version"], capture_output=True, check=False).returncode == 0
    return [docker, "compose"] if ok else None


def _config_ok(path: Path) -> None:
    cli = _compose_cli()
    if cli is None:
        if os.environ.get("DOCKGEN_LAB") or os.environ.get("DOCKGEN_E2E"):
            pytest.fail("docker compose is not installed (eval \"$(/work/shared/lab/lab env)\")")
        pytest.skip("docker compose not installed (the lab has it: eval \"$(/work/shared/lab/lab env)\")")
    # Every secret the file itself requires (`${VAR:?…}`) gets a throwaway value, as .env would give.
    secrets = {name: "throwaway" for name in re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*):\?", path.read_text("utf-8"))}
    env = {**os.environ, **secrets, "COMPOSE_PROJECT_NAME": "dockgen-config-check"}
    run = subprocess.run([*cli, "-f", str(path), "config", "-q"], capture_output=True, text=True, env=env,
                         cwd=path.parent, check=False)
    assert run.returncode == 0, f"{path}: {run.stderr}"


@pytest.mark.parametrize("name", ex.example_names())
def test_compose_config_accepts_every_golden(name):
    _config_ok(ex.GOLDEN / name / "compose.yaml")


def test_compose_config_accepts_the_services_golden():
    _config_ok(SERVICES_GOLDEN)


def test_compose_config_accepts_the_workspace_golden():
    """``init --all``: one file for every member (their build contexts at the root)."""
    _config_ok(ex.GOLDEN / "java-maven-services" / "all" / "compose.yaml")


def test_pin_records_the_service_images_and_compose_names_the_digest(tmp_path, monkeypatch):
    """``dockgen pin`` resolves the services' images with the base images; compose.yaml then names
    ``image@digest`` (through the lock's mirror) and ``dockgen check`` finds no drift."""
    from dockgen.cmd_pin import pin
    from dockgen.generator import stacks
    from dockgen.generator.pins import LOCKFILE, parse_lock
    from support.fake_registry import DOCKER_V2, FakeRegistry, Running, digest_of, manifest
    from test_pin_cmd import GOLANG, STATIC, go_project

    detect = stacks.detect

    def with_postgres(repo, stack=None):
        facts = detect(repo, stack)
        pg = need("postgres", ("DATABASE_URL", "url"), ("PGPASSWORD", "password"))
        return facts.model_copy(update={"app": facts.app.model_copy(update={"services": (pg,)})})

    monkeypatch.setattr(stacks, "detect", with_postgres)
    monkeypatch.delenv("DOCKGEN_REGISTRY_MIRROR", raising=False)
    reg = FakeRegistry()
    for repo, tag in (GOLANG, STATIC, ("library/postgres", "17")):
        reg.put(repo, tag, (DOCKER_V2, manifest(repo)))
    run = Running(reg)
    try:
        root = go_project(tmp_path / "app")
        dockgen.generate(root, runner="distroless")
        report = pin(root, mirror=reg.host)
    finally:
        run.stop()
    digest = digest_of(reg.manifests[("library/postgres", "17")][0][1])
    assert ("postgres:17", digest, "new") in report.images
    assert parse_lock((root / LOCKFILE).read_text()).images["postgres:17"] == digest
    data = yaml.safe_load((root / "compose.yaml").read_text())
    assert data["services"]["postgres"]["image"] == f"{reg.host}/library/postgres:17@{digest}"
    assert (root / ".env.example").read_text().splitlines()[-1:] == ["PGPASSWORD="]
    assert {f.path: f.status for f in check_files(root).files}["compose.yaml"] == "ok"


@pytest.mark.parametrize("own", ["docker-compose.yml", "compose.yaml"])
def test_a_projects_own_compose_file_is_left_alone_unless_asked(tmp_path, own):
    """docker compose prefers compose.yaml: writing ours by default would silently replace theirs."""
    root = shutil.copytree(ex.project("python-sqlite-data"), tmp_path / "p")
    (root / own).write_text("services: {web: {build: .}}\n")
    result = dockgen.generate(root)
    assert [f.path for f in result.files] == ["Dockerfile", ".dockerignore"]
    assert any(f"has its own {own}" in w for w in result.warnings)
    assert (root / own).read_text() == "services: {web: {build: .}}\n"
    if own == "docker-compose.yml":  # asked for: written next to it
        assert "compose.yaml" in [f.path for f in dockgen.generate(root, compose=True).files]
    else:  # asked for over the project's own compose.yaml: the usual conflict (exit 4)
        with pytest.raises(RefusedError):
            dockgen.generate(root, compose=True)


def test_a_projects_own_env_example_is_kept_and_named(tmp_path):
    """python-flask-postgres documents its own .env.example: init never replaces it and says which
    names compose.yaml reads from .env."""
    import dockgen

    repo = shutil.copytree(ex.EXAMPLES / "python-flask-postgres", tmp_path / "p")
    own = (repo / ".env.example").read_text("utf-8")
    r = dockgen.generate(repo)
    assert ".env.example" not in {f.path for f in r.files} and (repo / ".env.example").read_text("utf-8") == own
    assert any(".env.example not written" in w and "POSTGRES_PASSWORD" in w for w in r.warnings)
    (repo / ".env.example").unlink()
    assert ".env.example" in {f.path for f in dockgen.generate(repo).files}
