"""Java (Maven) planner: build stage order, Boot extraction per version, artifacts, runners, gates."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

import dockgen
from dockgen.detectors.errors import InvalidInputError, UsageError
from dockgen.generator import java_build as jb
from dockgen.generator import models as m
from support.lint import assert_clean
from test_java_detector import BOOT_PLUGIN, JAR_PLUGIN, XXE, boot_parent, pom, props
from support.tree import write_tree

DEP = ("<dependencies><dependency><groupId>org.apache.commons</groupId><artifactId>commons-lang3</artifactId>"
       "<version>3.17.0</version></dependency></dependencies>")
MAIN_CP = JAR_PLUGIN.format(m="<mainClass>com.acme.Main</mainClass><addClasspath>true</addClasspath>"
                              "<classpathPrefix>lib/</classpathPrefix>")
MAIN_ONLY = JAR_PLUGIN.format(m="<mainClass>com.acme.Main</mainClass>")


def project(tmp_path, body: str = MAIN_CP + DEP, *, gav: str | None = None, files: dict[str, str] | None = None):
    (tmp_path / "pom.xml").write_text(pom(body, gav=gav))
    return write_tree(tmp_path, files or {})


def planned(path, **opts):
    return dockgen.plan(path, **opts)


def stage(plan: m.BuildPlan, name: str | None) -> m.Stage:
    return next(s for s in plan.stages if s.name == name)


def runs(st: m.Stage) -> list[m.Run]:
    return [i for i in st.instructions if i.kind == "run"]


def final(plan: m.BuildPlan) -> m.Stage:
    return plan.stages[-1]


def of_kind(st: m.Stage, kind: str):
    return [i for i in st.instructions if i.kind == kind]


# ---- the build stage ------------------------------------------------------------------------------


def test_dependency_layer_before_sources(tmp_path):
    p = planned(project(tmp_path, props(**{"maven.compiler.release": "17"}) + MAIN_CP + DEP))
    build = stage(p.plan, "build")
    assert build.image.ref == "maven:3.9-eclipse-temurin-17"
    kinds = [(i.kind, getattr(i, "sources", None), getattr(i, "step", None)) for i in build.instructions]
    assert kinds == [("workdir", None, None), ("copy", ("pom.xml",), None), ("run", None, "deps"),
                     ("copy", (".",), None), ("run", None, "build")]
    deps, pkg = runs(build)
    assert deps.command.startswith("mvn -B dependency:go-offline")
    assert "dependency:copy-dependencies -DincludeScope=runtime" in deps.command
    assert pkg.command == "mvn -B package -DskipTests"
    for r in (deps, pkg):
        assert r.mounts == (m.cache_mount("/root/.m2"),)
    assert "--mount=type=cache,target=/root/.m2" in p.dockerfile


def test_java_version_from_pom_selects_images(tmp_path):
    p = planned(project(tmp_path, props(**{"java.version": "17"}) + MAIN_CP + DEP))
    assert final(p.plan).image.ref == "gcr.io/distroless/java17-debian12:nonroot"
    assert "# java 17 (from pom.xml <java.version>)" in p.dockerfile


def test_default_java_version(tmp_path):
    p = planned(project(tmp_path))
    assert stage(p.plan, "build").image.ref == "maven:3.9-eclipse-temurin-25"
    assert final(p.plan).image.ref == "gcr.io/distroless/java25-debian13:nonroot"
    assert "java 25 (from dockgen default" in p.dockerfile


def test_java_version_option_wins(tmp_path):
    p = planned(project(tmp_path, props(**{"maven.compiler.release": "21"}) + MAIN_CP + DEP), java_version="17")
    assert stage(p.plan, "build").image.ref == "maven:3.9-eclipse-temurin-17"


def test_java_version_option_older_than_the_pom_is_a_warning(tmp_path):
    p = planned(project(tmp_path, props(**{"maven.compiler.release": "25"}) + MAIN_CP + DEP), java_version="21")
    assert stage(p.plan, "build").image.ref == "maven:3.9-eclipse-temurin-21"
    assert any("older than the Java 25 the project compiles for" in w for w in p.plan.warnings)


# Java 7 (older than every major) is built on the oldest supported one, assumed: test_version_assumed.py.
@pytest.mark.parametrize("major", ["22", "26"])
def test_java_version_outside_catalog_is_invalid_input(tmp_path, major):
    with pytest.raises(InvalidInputError) as e:
        planned(project(tmp_path, props(**{"maven.compiler.release": major}) + MAIN_CP + DEP))
    assert e.value.exit_code == 5 and e.value.file == "pom.xml"
    assert f"'{major}'" in str(e.value) and "25, 21, 17, 11, 8" in str(e.value)


@pytest.mark.parametrize("prop,value,builder,runner", [
    ("maven.compiler.release", "25", "maven:3.9-eclipse-temurin-25", "gcr.io/distroless/java25-debian13:nonroot"),
    ("maven.compiler.release", "17", "maven:3.9-eclipse-temurin-17", "gcr.io/distroless/java17-debian12:nonroot"),
    ("java.version", "1.8", "maven:3.9-eclipse-temurin-8", "eclipse-temurin:8-jre"),
    ("maven.compiler.target", "11", "maven:3.9-eclipse-temurin-11", "eclipse-temurin:11-jre"),
])
def test_every_catalog_major(tmp_path, prop, value, builder, runner):
    p = planned(project(tmp_path, props(**{prop: value}) + MAIN_CP + DEP))
    assert stage(p.plan, "build").image.ref == builder and final(p.plan).image.ref == runner
    assert_clean(p.dockerfile)


def test_java_8_and_11_run_on_the_temurin_jre(tmp_path):
    p = planned(project(tmp_path, props(**{"java.version": "1.8"}) + MAIN_CP + DEP))
    assert p.plan.runner == "slim" and p.plan.user == 10001
    assert any("distroless publishes no Java 8 image" in r for r in p.plan.reasons)
    assert any("java 8 reached end of life on 2026-11-30" in w for w in p.plan.warnings)
    assert "# java 8 (from pom.xml <java.version>); END OF LIFE since 2026-11-30" in p.dockerfile
    probe = runs(stage(p.plan, "healthcheck"))[0].command
    # JDK 8: no `var`, no --release
    assert "javac -d /opt/dockgen/healthcheck HealthCheck.java" in probe and "var c" not in probe
    p11 = planned(project(tmp_path, props(**{"maven.compiler.release": "11"}) + MAIN_CP + DEP))
    assert final(p11.plan).image.ref == "eclipse-temurin:11-jre"
    assert not [w for w in p11.plan.warnings if "port 8080 is assumed" not in w]


@pytest.mark.parametrize("files,major,source", [
    ({".tool-versions": "java temurin-21.0.5+11.0.LTS\n"}, "21", ".tool-versions java (line 1)"),
    ({"mise.toml": '[tools]\njava = "corretto-17"\n'}, "17", "mise.toml [tools] java"),
    ({"mise.toml": '[tools]\njava = "25"\n'}, "25", "mise.toml [tools] java"),
])
def test_version_manager_jdk_pin_when_the_pom_names_none(tmp_path, files, major, source):
    p = planned(project(tmp_path, files=files))
    assert stage(p.plan, "build").image.ref == f"maven:3.9-eclipse-temurin-{major}"
    assert f"# java {major} (from {source})" in p.dockerfile


def test_pom_beats_version_manager_pin(tmp_path):
    p = planned(project(tmp_path, props(**{"maven.compiler.release": "17"}) + MAIN_CP + DEP,
                        files={".tool-versions": "java temurin-21.0.5+11.0.LTS\n"}))
    assert stage(p.plan, "build").image.ref == "maven:3.9-eclipse-temurin-17"


def test_wrapper_builds_with_mvnw_in_jdk_image(tmp_path):
    p = planned(project(tmp_path, files={"mvnw": "#!/bin/sh\n", ".mvn/wrapper/maven-wrapper.properties": "x=y\n"}))
    build = stage(p.plan, "build")
    assert build.image.ref == "eclipse-temurin:25-jdk"
    copies = of_kind(build, "copy")
    assert copies[0].sources == ("mvnw",) and copies[0].chmod == "0755"
    assert copies[1].sources == (".mvn",)
    assert all(r.command.startswith("./mvnw -B ") for r in runs(build))
    assert "mvnw" not in p.plan.ignore and ".mvn" not in p.plan.ignore
    assert_clean(p.dockerfile)


# ---- artifacts --------------------------------------------------------------------------------------


def test_plain_jar_with_class_path_manifest(tmp_path):
    p = planned(project(tmp_path, "<build><finalName>svc</finalName>" + MAIN_CP[7:] + DEP))
    rt = final(p.plan)
    srcs = [(c.sources, c.dest) for c in of_kind(rt, "copy") if c.from_stage == "build"]
    assert srcs == [(("/src/target/dependency/",), "/app/lib/"), (("/src/target/svc.jar",), "/app/app.jar")]
    assert of_kind(rt, "entrypoint")[0].argv == ("java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar")


def test_plain_jar_without_class_path_uses_cp(tmp_path):
    p = planned(project(tmp_path, MAIN_ONLY + DEP))
    argv = of_kind(final(p.plan), "entrypoint")[0].argv
    assert argv == ("java", "-XX:MaxRAMPercentage=75", "-cp", "/app/app.jar:/app/lib/*", "com.acme.Main")


def test_plain_jar_without_dependencies_copies_only_the_jar(tmp_path):
    p = planned(project(tmp_path, MAIN_ONLY))
    assert "copy-dependencies" not in p.dockerfile
    assert [c.dest for c in of_kind(final(p.plan), "copy") if c.from_stage == "build"] == ["/app/app.jar"]


def test_plain_jar_without_main_class_is_invalid(tmp_path):
    with pytest.raises(InvalidInputError, match="no Main-Class"):
        planned(project(tmp_path, DEP))


def test_command_option_replaces_start(tmp_path):
    p = planned(project(tmp_path, DEP), command=("java", "-cp", "/app/app.jar", "x.Y"))
    assert of_kind(final(p.plan), "entrypoint")[0].argv == ("java", "-cp", "/app/app.jar", "x.Y")


def test_shaded_jar(tmp_path):
    shade = ("<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><version>3.6.0</version>"
             "</plugin></plugins></build>")
    p = planned(project(tmp_path, shade + DEP))
    assert "copy-dependencies" not in p.dockerfile
    assert of_kind(final(p.plan), "entrypoint")[0].argv[-2:] == ("-jar", "/app/app.jar")


@pytest.mark.parametrize("body", ["<packaging>war</packaging>", "<packaging>pom</packaging><modules><module>a</module></modules>"])
def test_unsupported_packaging(tmp_path, body):
    with pytest.raises(InvalidInputError) as e:
        planned(project(tmp_path, body))
    assert e.value.file == "pom.xml"


# ---- Spring Boot --------------------------------------------------------------------------------------


@pytest.mark.parametrize("version,extract,launcher", [
    ("4.0.0", "java -Djarmode=tools -jar {jar} extract --layers --launcher --destination target/extracted",
     "org.springframework.boot.loader.launch.JarLauncher"),
    ("3.5.6", "java -Djarmode=tools -jar {jar} extract --layers --launcher --destination target/extracted",
     "org.springframework.boot.loader.launch.JarLauncher"),
    ("3.3.0", "java -Djarmode=tools -jar {jar} extract --layers --launcher --destination target/extracted",
     "org.springframework.boot.loader.launch.JarLauncher"),
    ("3.2.4", "java -Djarmode=layertools -jar {jar} extract --destination target/extracted",
     "org.springframework.boot.loader.launch.JarLauncher"),
    ("3.1.12", "java -Djarmode=layertools -jar {jar} extract --destination target/extracted",
     "org.springframework.boot.loader.JarLauncher"),
    ("2.7.18", "java -Djarmode=layertools -jar {jar} extract --destination target/extracted",
     "org.springframework.boot.loader.JarLauncher"),
    ("2.4.0", "java -Djarmode=layertools -jar {jar} extract --destination target/extracted",
     "org.springframework.boot.loader.JarLauncher"),
])
def test_boot_extraction_matches_version(tmp_path, version, extract, launcher):
    p = planned(project(tmp_path, BOOT_PLUGIN.format(v=""), gav=boot_parent(version)))
    pkg = runs(stage(p.plan, "build"))[-1].command
    assert extract.format(jar="target/shop-1.0.jar") in pkg
    assert "mkdir -p target/extracted/dependencies target/extracted/spring-boot-loader " \
           "target/extracted/snapshot-dependencies target/extracted/application" in pkg
    rt = final(p.plan)
    layers = [c.sources[0] for c in of_kind(rt, "copy") if c.from_stage == "build"]
    assert layers == [f"/src/target/extracted/{x}/" for x in
                      ("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")]
    assert of_kind(rt, "entrypoint")[0].argv == ("java", "-XX:MaxRAMPercentage=75", launcher)
    assert_clean(p.dockerfile)


def test_boot_before_layers_runs_fat_jar(tmp_path):
    p = planned(project(tmp_path, BOOT_PLUGIN.format(v=""), gav=boot_parent("2.3.12.RELEASE")))
    assert "jarmode" not in p.dockerfile
    assert of_kind(final(p.plan), "entrypoint")[0].argv[-2:] == ("-jar", "/app/app.jar")


def test_boot_mode_unit():
    assert jb.boot_mode("3.3.0-M1").extract.startswith("java -Djarmode=tools")
    assert jb.boot_mode("2.3.0") is None


def test_boot_port_reaches_expose_and_probe(tmp_path):
    p = planned(project(tmp_path, BOOT_PLUGIN.format(v=""), gav=boot_parent("3.5.6"),
                        files={"src/main/resources/application.properties": "server.port=9090\n"}))
    rt = final(p.plan)
    assert of_kind(rt, "expose")[0].port == 9090
    assert of_kind(rt, "healthcheck")[0].argv[-1] == "http://127.0.0.1:9090/"
    assert "port 9090 (from src/main/resources/application.properties server.port)" in p.dockerfile


# ---- runners ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("runner,image,uid,setup", [
    ("distroless", "gcr.io/distroless/java25-debian13:nonroot", 65532, None),
    ("slim", "eclipse-temurin:25-jre", 10001, "useradd --system --no-log-init --uid 10001"),
    ("alpine", "eclipse-temurin:25-jre-alpine", 10001, "adduser -S -D -H -u 10001"),
])
def test_runners(tmp_path, runner, image, uid, setup):
    p = planned(project(tmp_path), runner=None if runner == "distroless" else runner)
    rt = final(p.plan)
    assert p.plan.runner == runner and rt.image.ref == image and p.plan.user == uid
    user = of_kind(rt, "user")[0]
    assert (user.uid, user.gid) == (uid, uid)
    setup_runs = runs(rt)
    assert (setup_runs[0].command if setup_runs else None) is None if setup is None else setup in setup_runs[0].command
    assert of_kind(rt, "expose")[0].port == 8080
    labels = dict(of_kind(rt, "label")[0].pairs)
    assert labels["org.opencontainers.image.title"] == "shop"
    assert labels["org.opencontainers.image.version"] == "2.3.4"
    assert labels["org.opencontainers.image.base.name"] == image
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("runner", ["scratch"])
def test_runner_without_jvm_refused(tmp_path, runner):
    with pytest.raises(UsageError, match="no JVM") as e:
        planned(project(tmp_path), runner=runner)
    assert e.value.exit_code == 2


def test_healthcheck_probe_stage(tmp_path):
    p = planned(project(tmp_path))
    probe = stage(p.plan, "healthcheck")
    assert "javac --release 25 -d /opt/dockgen/healthcheck HealthCheck.java" in runs(probe)[0].command
    hc = of_kind(final(p.plan), "healthcheck")[0]
    assert hc.argv == ("java", "-cp", "/opt/dockgen/healthcheck", "HealthCheck", "http://127.0.0.1:8080/")
    assert any(c.from_stage == "healthcheck" for c in of_kind(final(p.plan), "copy"))


def test_healthcheck_disabled(tmp_path):
    p = planned(project(tmp_path), healthcheck="")
    assert all(s.name != "healthcheck" for s in p.plan.stages)
    assert "\nHEALTHCHECK " not in p.dockerfile and "# No HEALTHCHECK" in p.dockerfile
    assert_clean(p.dockerfile)


def test_port_option(tmp_path):
    p = planned(project(tmp_path), port=9999)
    assert "EXPOSE 9999" in p.dockerfile and "port 9999 (from --port)" in p.dockerfile


def test_ignore_keeps_build_output_out(tmp_path):
    p = planned(project(tmp_path))
    for pat in ("target", ".git", ".env", "*.iml"):
        assert pat in p.plan.ignore


def test_warnings_reach_the_plan(tmp_path):
    body = MAIN_CP + ("<dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId>"
                      "<version>1-SNAPSHOT</version></dependency></dependencies>")
    p = planned(project(tmp_path, body))
    assert any("SNAPSHOT" in w for w in p.plan.warnings)


def test_exec_form_and_numeric_user_in_text(tmp_path):
    text = planned(project(tmp_path)).dockerfile
    assert 'ENTRYPOINT ["java", ' in text and "\nUSER 65532:65532\n" in text
    assert "# syntax" not in text and "--link" not in text


# ---- CLI exit codes ---------------------------------------------------------------------------------------


def test_cli_refuses_xxe_pom_with_exit_5(tmp_path):
    (tmp_path / "pom.xml").write_text(XXE)
    exe = shutil.which("dockgen")
    assert exe
    proc = subprocess.run([exe, "init", str(tmp_path), "--stdout"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 5
    assert "pom.xml" in proc.stderr + proc.stdout and "Traceback" not in proc.stderr
    assert not (tmp_path / "Dockerfile").exists()


def test_cli_unsupported_java_exit_5(tmp_path):
    # Java 22 has no image (between the LTS lines; 8 is past end of life but still built, with a warning).
    project(tmp_path, props(**{"maven.compiler.release": "22"}) + MAIN_CP)
    proc = subprocess.run([sys.executable, "-m", "dockgen", "init", str(tmp_path), "--stdout"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 5 and "25, 21, 17, 11, 8" in proc.stderr + proc.stdout, proc.stderr
