"""Maven parent chains and multi-module builds: what a module inherits, where it is built from,
and the files a module build writes (Dockerfile + Dockerfile.dockerignore beside it)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import dockgen
from dockgen import api, drift_check
from dockgen.detectors import java
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.java_reactor import reactor_root
from dockgen.generator import stacks
from support.lint import assert_clean
from support.tree import write_tree
from test_java_detector import BOOT_PLUGIN, JAR_PLUGIN, NS, props

PARENT_GAV = "<groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>1.0</version>"
BOOT_PARENT = ("<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>"
               "<version>3.5.6</version><relativePath/></parent>")
MAIN = JAR_PLUGIN.format(m="<mainClass>com.acme.Main</mainClass>")


def xml(body: str) -> str:
    return f'<?xml version="1.0"?>\n<project {NS}><modelVersion>4.0.0</modelVersion>{body}</project>\n'


def parent_pom(body: str = "", modules: tuple[str, ...] = ("app", "lib"), head: str = "") -> str:
    mods = "<modules>" + "".join(f"<module>{m}</module>" for m in modules) + "</modules>" if modules else ""
    return xml(f"{head}{PARENT_GAV}<packaging>pom</packaging>{mods}{body}")


def child_pom(artifact: str, body: str = "", parent: str = "") -> str:
    ref = parent or (f"<parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId>"
                     f"<version>1.0</version></parent>")
    return xml(f"{ref}<artifactId>{artifact}</artifactId>{body}")


LIB_DEP = ("<dependencies><dependency><groupId>com.acme</groupId><artifactId>lib</artifactId>"
           "<version>1.0</version></dependency></dependencies>")


def tree(tmp_path, root_body: str = "", app_body: str = MAIN + LIB_DEP, files: dict[str, str] | None = None,
         modules: tuple[str, ...] = ("app", "lib"), head: str = ""):
    return write_tree(tmp_path, {"pom.xml": parent_pom(root_body, modules, head),
                                 "app/pom.xml": child_pom("app", app_body),
                                 "lib/pom.xml": child_pom("lib"), **(files or {})})


def detect_module(root, member: str):
    return java.detect(stacks.open_repo(root / member))


# ---- the parent chain -----------------------------------------------------------------------------


def test_module_inherits_properties_and_plugin_configuration(tmp_path):
    root_body = (props(**{"java.version": "21", "maven.compiler.release": "${java.version}"})
                 + "<build><pluginManagement><plugins><plugin><artifactId>maven-jar-plugin</artifactId>"
                 "<version>3.4.2</version><configuration><archive><manifest><mainClass>${main.class}</mainClass>"
                 "</manifest></archive></configuration></plugin></plugins></pluginManagement>"
                 "<finalName>${project.artifactId}-svc</finalName></build>")
    root = tree(tmp_path, root_body, props(**{"main.class": "com.acme.App"}) + LIB_DEP)
    f = detect_module(root, "app")
    assert (f.java_version.value, str(f.java_version.source)) == ("21", "pom.xml <maven.compiler.release>")
    # The parent's ${main.class} resolves with the module's property, as in Maven's effective model.
    assert (f.main_class.value, str(f.main_class.source)) == ("com.acme.App", "pom.xml maven-jar-plugin <mainClass>")
    assert (f.final_name.value, str(f.final_name.source)) == ("app-svc", "pom.xml <build><finalName>")
    assert (f.artifact_id.value, str(f.artifact_id.source)) == ("app", "app/pom.xml <artifactId>")
    assert (f.version.value, str(f.version.source)) == ("1.0", "app/pom.xml <parent><version>")
    assert f.warnings == ()  # the jar plugin's version comes from the parent's pluginManagement


def test_module_property_overrides_the_parents(tmp_path):
    root = tree(tmp_path, props(jv="17", **{"maven.compiler.release": "${jv}"}), props(jv="21") + MAIN)
    f = detect_module(root, "app")
    assert f.java_version.value == "21" and str(f.java_version.source) == "pom.xml <maven.compiler.release>"


def test_ci_friendly_revision_from_the_parent(tmp_path):
    write_tree(tmp_path, {
        "pom.xml": xml("<groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>${revision}</version>"
                       "<packaging>pom</packaging><modules><module>app</module></modules>"
                       + props(revision="4.2.0")),
        "app/pom.xml": xml("<parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId>"
                           "<version>${revision}</version></parent><artifactId>app</artifactId>" + MAIN)})
    f = detect_module(tmp_path, "app")
    assert f.version.value == "4.2.0" and f.final_name.value == "app-4.2.0"


def test_boot_version_and_plugin_from_the_chain(tmp_path):
    root = tree(tmp_path, props(**{"java.version": "17"}) + BOOT_PLUGIN.format(v=""), app_body="",
                head=BOOT_PARENT)
    f = detect_module(root, "app")
    assert (f.spring_boot.value, str(f.spring_boot.source)) == ("3.5.6", "pom.xml <parent> spring-boot-starter-parent")
    assert str(f.boot_plugin.source) == "pom.xml <build><plugins> spring-boot-maven-plugin"
    assert (f.app.port[0].value, f.app.port[0].confidence) == (8080, "derived")


def test_boot_plugin_from_a_parent_profile_activated_by_a_module_file(tmp_path):
    """The spring-petclinic-microservices shape: the parent declares the Boot plugin in a profile
    activated by src/main/resources/application.yml, which exists in the service module."""
    profile = ("<profiles><profile><id>springboot</id><activation><file>"
               "<exists>src/main/resources/application.yml</exists></file></activation>"
               + BOOT_PLUGIN.format(v="") + "</profile></profiles>")
    root = tree(tmp_path, profile, app_body="", head=BOOT_PARENT,
                files={"app/src/main/resources/application.yml": "server:\n  port: 8081\n"})
    app = detect_module(root, "app")
    assert str(app.boot_plugin.source) == "pom.xml <profile> springboot <build><plugins> spring-boot-maven-plugin"
    assert (app.app.port[0].value, str(app.app.port[0].evidence)) == (
        8081, "app/src/main/resources/application.yml server.port")
    assert detect_module(root, "lib").boot_plugin is None  # no application.yml there


def test_parent_plugin_not_inherited_when_it_says_so(tmp_path):
    shade = ("<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><version>3.6.0</version>"
             "<inherited>false</inherited></plugin></plugins></build>")
    root = tree(tmp_path, shade)
    assert detect_module(root, "app").shaded is None


def test_parent_with_other_coordinates_is_not_read(tmp_path):
    root = tree(tmp_path, props(**{"maven.compiler.release": "17"}))
    (root / "app/pom.xml").write_text(child_pom("app", MAIN, parent=(
        "<parent><groupId>com.other</groupId><artifactId>elsewhere</artifactId><version>9</version></parent>")))
    f = java.detect(stacks.open_repo(root / "app"))
    assert f.java_version is None  # the file at ../pom.xml is not its parent


def test_relative_path_to_a_directory_and_an_empty_one(tmp_path):
    write_tree(tmp_path, {
        "parent/pom.xml": parent_pom(props(**{"maven.compiler.release": "17"}), modules=()),
        "pom.xml": xml("<groupId>com.acme</groupId><artifactId>agg</artifactId><version>1</version>"
                       "<packaging>pom</packaging><modules><module>parent</module><module>app</module></modules>"),
        "app/pom.xml": child_pom("app", MAIN, parent=(
            "<parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>1.0</version>"
            "<relativePath>../parent</relativePath></parent>"))})
    f = detect_module(tmp_path, "app")
    assert (f.java_version.value, str(f.java_version.source)) == ("17", "parent/pom.xml <maven.compiler.release>")
    assert "parent/pom.xml" in f.manifests
    (tmp_path / "app/pom.xml").write_text(child_pom("app", MAIN, parent=(
        "<parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>1.0</version>"
        "<relativePath/></parent>")))
    assert detect_module(tmp_path, "app").java_version is None  # <relativePath/>: the repository, not a file


def test_undefined_property_names_the_module_and_the_chain(tmp_path):
    root = tree(tmp_path, app_body="<build><finalName>${nope}</finalName></build>" + MAIN)
    with pytest.raises(InvalidInputError, match=r"\$\{nope\} is not defined") as e:
        detect_module(root, "app")
    assert e.value.file == "app/pom.xml" and "its parents in the repository" in e.value.hint


# ---- warnings -----------------------------------------------------------------------------------------


def test_no_version_warnings_for_plugins_a_known_parent_manages(tmp_path):
    """jhipster's shape: <pluginManagement> entries without versions under spring-boot-starter-parent."""
    managed = ("<build><pluginManagement><plugins>"
               "<plugin><artifactId>maven-compiler-plugin</artifactId></plugin>"
               "<plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId>"
               "</plugin></plugins></pluginManagement>"
               "<plugins><plugin><groupId>org.springframework.boot</groupId>"
               "<artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>")
    write_tree(tmp_path, {"pom.xml": xml(BOOT_PARENT + "<groupId>a</groupId><artifactId>b</artifactId>"
                                         "<version>1</version>" + managed)})
    assert java.detect(stacks.open_repo(tmp_path)).warnings == ()


def test_unknown_outside_parent_still_warns(tmp_path):
    parent = ("<parent><groupId>com.corp</groupId><artifactId>corp-parent</artifactId><version>3</version>"
              "<relativePath/></parent>")
    body = "<build><plugins><plugin><artifactId>maven-jar-plugin</artifactId></plugin></plugins></build>"
    write_tree(tmp_path, {"pom.xml": xml(parent + "<artifactId>b</artifactId>" + body)})
    w = java.detect(stacks.open_repo(tmp_path)).warnings
    assert any("maven-jar-plugin in <build><plugins> has no <version>" in x for x in w)


# ---- the production profile ---------------------------------------------------------------------------


@pytest.mark.parametrize("profile,expected", [
    ("<profile><id>prod</id></profile>", "prod"),
    ("<profile><id>production</id></profile>", "production"),
    ("<profile><id>release</id><activation><property><name>env</name><value>prod</value></property>"
     "</activation></profile>", "release"),
    ("<profile><id>dev</id></profile>", None),
])
def test_production_profile(tmp_path, profile, expected):
    write_tree(tmp_path, {"pom.xml": xml(PARENT_GAV + MAIN + f"<profiles>{profile}</profiles>")})
    p = dockgen.plan(tmp_path)
    runs = [i.command for st in p.plan.stages for i in st.instructions if i.kind == "run" and "mvn" in i.command]
    if expected is None:
        assert p.facts.profile is None and all(" -P" not in r for r in runs)
        return
    assert p.facts.profile.value == expected
    assert len(runs) == 2 and all(r.startswith(f"mvn -B -P{expected} ") for r in runs)
    assert f"# maven profile {expected} (from pom.xml <profile> {expected}): the production build" in p.dockerfile


def test_production_profile_turns_off_active_by_default_ones(tmp_path):
    profiles = ("<profiles><profile><id>dev</id><activation><activeByDefault>true</activeByDefault></activation>"
                + props(**{"maven.compiler.release": "17"}) + "</profile><profile><id>prod</id>"
                + props(**{"maven.compiler.release": "21"}) + "</profile></profiles>")
    write_tree(tmp_path, {"pom.xml": xml(PARENT_GAV + MAIN + profiles)})
    f = java.detect(stacks.open_repo(tmp_path))
    assert (f.java_version.value, f.profile.value) == ("21", "prod")


# ---- module builds ---------------------------------------------------------------------------------


def test_reactor_root_is_the_topmost_aggregator_listing_the_module(tmp_path):
    write_tree(tmp_path, {
        "pom.xml": parent_pom(modules=("services",)),
        "services/pom.xml": child_pom("services", "<packaging>pom</packaging><modules><module>api</module></modules>"),
        "services/api/pom.xml": child_pom("api", MAIN, parent=(
            "<parent><groupId>com.acme</groupId><artifactId>services</artifactId><version>1.0</version></parent>")),
        "loose/pom.xml": child_pom("loose", MAIN)})
    assert reactor_root(tmp_path / "services" / "api") == tmp_path.resolve()
    assert reactor_root(tmp_path / "loose") is None  # not listed in <modules>: a project of its own
    assert reactor_root(tmp_path) is None
    p = dockgen.plan(tmp_path / "services" / "api")
    assert p.plan.context.root == "../.." and p.plan.context.dockerfile == "services/api/Dockerfile"
    assert "mvn -B -pl services/api -am dependency:go-offline" in p.dockerfile


def test_module_build_from_the_aggregator_root(tmp_path):
    root = tree(tmp_path, props(**{"maven.compiler.release": "21"}))
    p = dockgen.plan(root / "app")
    build = next(s for s in p.plan.stages if s.name == "build")
    copies = [(c.sources, c.dest) for c in build.instructions if c.kind == "copy"]
    assert copies == [(("pom.xml",), "./"), (("app/pom.xml",), "app/"), (("lib/pom.xml",), "lib/"), ((".",), ".")]
    deps, pkg = [i.command for i in build.instructions if i.kind == "run"]
    assert deps == "mvn -B -pl app -am dependency:go-offline"
    # The sibling's jar exists only after package: copy-dependencies joins the package run.
    assert pkg == "mvn -B -pl app -am package dependency:copy-dependencies -DincludeScope=runtime -DskipTests"
    final = p.plan.stages[-1]
    assert [c.sources[0] for c in final.instructions if c.kind == "copy" and c.from_stage == "build"] == [
        "/src/app/target/dependency/", "/src/app/target/app-1.0.jar"]
    assert "# module app (from pom.xml <modules>): built from the aggregator root with -pl app -am" in p.dockerfile
    assert "-am builds lib first (from app/pom.xml <dependencies>)" in p.dockerfile
    assert "# Build (BuildKit):  DOCKER_BUILDKIT=1 docker build -f app/Dockerfile -t IMAGE .\n" in p.dockerfile
    assert "--ignorefile app/Dockerfile.dockerignore" in p.dockerfile
    assert "**/target" in p.plan.ignore and "**/Dockerfile" in p.plan.ignore and "target" not in p.plan.ignore
    assert p.facts.manifests == ("app/pom.xml", "lib/pom.xml", "pom.xml")
    assert_clean(p.dockerfile)


def test_generate_writes_the_ignore_file_beside_the_module_dockerfile(tmp_path):
    root = tree(tmp_path, props(**{"maven.compiler.release": "21"}))
    first = dockgen.generate(root / "app")
    assert {f.path: f.status for f in first.files} == {"Dockerfile": "create", "Dockerfile.dockerignore": "create",
                                                       "compose.yaml": "create"}
    assert (root / "app/Dockerfile.dockerignore").is_file() and not (root / ".dockerignore").exists()
    assert not (root / "app/.dockerignore").exists()
    again = dockgen.generate(root / "app")
    assert {f.status for f in again.files} == {"identical"}
    report = drift_check.check(root / "app", pins=False)
    assert [(f.path, f.status) for f in report.files] == [("Dockerfile", "ok"), ("Dockerfile.dockerignore", "ok"),
                                                          ("compose.yaml", "ok")]
    state = (root / "app/.dockgen/state.json").read_text()
    assert '"lib/pom.xml"' in state and '"pom.xml"' in state  # every reactor POM is a manifest
    (root / "lib/pom.xml").write_text(child_pom("lib", props(x="1")))
    drift = drift_check.check(root / "app", pins=False)
    assert [f.status for f in drift.files] == ["ok", "ok", "ok"]  # same output, the POM change alone is no drift


def test_cli_init_inside_the_module(tmp_path):
    root = tree(tmp_path, props(**{"maven.compiler.release": "21"}))
    cp = subprocess.run([sys.executable, "-m", "dockgen", "init", "--stdout"], cwd=root / "app",
                        capture_output=True, text=True, timeout=120)
    assert cp.returncode == 0, cp.stderr
    assert cp.stdout == dockgen.plan(root / "app").dockerfile


def test_aggregator_root_is_refused_listing_its_deployable_modules(tmp_path):
    root = tree(tmp_path, props(**{"maven.compiler.release": "21"}))
    with pytest.raises(InvalidInputError) as e:
        dockgen.plan(root)
    assert e.value.exit_code == 5 and e.value.file == "pom.xml"
    assert "its deployable modules: app" in e.value.message  # lib builds no runnable jar
    assert "dockgen init app" in e.value.hint
    seen = api.inspect(root)
    assert seen.found["java"].deployable.value == ("app",)


def test_standalone_project_is_unchanged_by_a_pom_above_it(tmp_path):
    write_tree(tmp_path, {"pom.xml": parent_pom(modules=("other",)),
                          "svc/pom.xml": xml(PARENT_GAV.replace("acme-parent", "svc") + MAIN)})
    p = dockgen.plan(tmp_path / "svc")
    assert p.plan.context is None and p.facts.module is None
    assert "# Build (BuildKit):  DOCKER_BUILDKIT=1 docker build -t IMAGE .\n" in p.dockerfile


# ---- Quarkus and Micronaut -------------------------------------------------------------------------

QUARKUS_PLUGIN = ("<build><plugins><plugin><groupId>io.quarkus.platform</groupId>"
                  "<artifactId>quarkus-maven-plugin</artifactId><version>3.15.1</version>"
                  "<extensions>true</extensions></plugin></plugins></build>")
APP = "src/main/resources/"


def quarkus(tmp_path, packaging="<packaging>quarkus</packaging>", files=None):
    write_tree(tmp_path, {"pom.xml": xml(PARENT_GAV.replace("acme-parent", "q") + packaging + QUARKUS_PLUGIN),
                          **(files or {})})
    return dockgen.plan(tmp_path)


def test_quarkus_fast_jar(tmp_path):
    p = quarkus(tmp_path)
    final = p.plan.stages[-1]
    copies = [(c.sources[0], c.dest) for c in final.instructions if c.kind == "copy" and c.from_stage == "build"]
    assert copies == [("/src/target/quarkus-app/lib/", "/app/lib/"),
                      ("/src/target/quarkus-app/quarkus-run.jar", "/app/quarkus-run.jar"),
                      ("/src/target/quarkus-app/app/", "/app/app/"),
                      ("/src/target/quarkus-app/quarkus/", "/app/quarkus/")]
    assert [i.argv for i in final.instructions if i.kind == "entrypoint"] == [
        ("java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarkus-run.jar")]
    assert ("QUARKUS_HTTP_HOST", "0.0.0.0") in [kv for i in final.instructions if i.kind == "env" for kv in i.pairs]
    assert "# port 8080 (from Quarkus's default quarkus.http.port)" in p.dockerfile
    assert not p.plan.warnings
    assert_clean(p.dockerfile)


@pytest.mark.parametrize("name,text,port,key", [
    ("application.properties", "quarkus.http.port=9000\n%prod.quarkus.http.port=9001\n", 9001,
     "%prod.quarkus.http.port"),
    ("application.properties", "quarkus.http.port=${HTTP_PORT:9002}\n", 9002, "quarkus.http.port"),
    ("application.yaml", "quarkus:\n  http:\n    port: 9003\n", 9003, "quarkus.http.port"),
])
def test_quarkus_port(tmp_path, name, text, port, key):
    p = quarkus(tmp_path, files={APP + name: text})
    assert p.plan.port == port and f"port {port} (from {APP}{name} {key})" in p.dockerfile


def test_quarkus_plugin_with_jar_packaging_and_uber_jar(tmp_path):
    p = quarkus(tmp_path, packaging="", files={APP + "application.properties": "quarkus.package.jar.type=uber-jar\n"})
    final = p.plan.stages[-1]
    assert [c.sources[0] for c in final.instructions if c.kind == "copy" and c.from_stage == "build"] == [
        "/src/target/q-1.0-runner.jar"]
    assert "uber-jar target/q-1.0-runner.jar (from src/main/resources/application.properties " \
           "quarkus.package.jar.type)" in p.dockerfile


def test_quarkus_native_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="quarkus.package.jar.type native") as e:
        quarkus(tmp_path, files={APP + "application.properties": "quarkus.package.jar.type=native\n"})
    assert e.value.file == APP + "application.properties"


MICRONAUT_PARENT = ("<parent><groupId>io.micronaut.platform</groupId><artifactId>micronaut-parent</artifactId>"
                    "<version>4.6.3</version></parent>")


def micronaut(tmp_path, properties: dict[str, str], files=None):
    body = (MICRONAUT_PARENT + "<groupId>com.acme</groupId><artifactId>mn</artifactId><version>2.0</version>"
            + props(**properties) + "<build><plugins><plugin><groupId>io.micronaut.maven</groupId>"
            "<artifactId>micronaut-maven-plugin</artifactId></plugin>"
            "<plugin><artifactId>maven-compiler-plugin</artifactId></plugin></plugins></build>")
    write_tree(tmp_path, {"pom.xml": xml(body), **(files or {})})
    return dockgen.plan(tmp_path)


def test_micronaut_shaded_jar_from_exec_main_class(tmp_path):
    p = micronaut(tmp_path, {"exec.mainClass": "com.acme.Application", "release.version": "17"},
                  files={APP + "application.yml": "micronaut:\n  server:\n    port: 8089\n"})
    f = p.facts
    assert str(f.micronaut.source) == "pom.xml <parent> micronaut-parent"
    assert (f.main_class.value, str(f.main_class.source)) == ("com.acme.Application", "pom.xml <exec.mainClass>")
    assert (f.java_version.value, str(f.java_version.source)) == ("17", "pom.xml <release.version>")
    final = p.plan.stages[-1]
    assert [c.sources[0] for c in final.instructions if c.kind == "copy" and c.from_stage == "build"] == [
        "/src/target/mn-2.0.jar"]
    assert [i.argv for i in final.instructions if i.kind == "entrypoint"] == [
        ("java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar")]
    assert p.plan.port == 8089
    assert f.warnings == ()  # micronaut-parent manages the plugins' versions
    assert_clean(p.dockerfile)


def test_micronaut_without_exec_main_class_is_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="exec.mainClass") as e:
        micronaut(tmp_path, {})
    assert e.value.file == "pom.xml"


# ---- the port of a plain jar --------------------------------------------------------------------------


def test_plain_jar_port_is_assumed_and_strict_refuses(tmp_path):
    write_tree(tmp_path, {"pom.xml": xml(PARENT_GAV + MAIN)})
    p = dockgen.plan(tmp_path)
    assert any(w.startswith("port 8080 is assumed") for w in p.plan.warnings)
    assert "# port 8080 (assumed: " in p.dockerfile
    with pytest.raises(InvalidInputError, match="--strict refuses assumed values"):
        dockgen.plan(tmp_path, strict=True)
    assert dockgen.plan(tmp_path, port=9000).plan.port == 9000


# ---- the fixtures' structure (the lab cannot build Quarkus or Micronaut: no Maven Central) ---------


def _final_copies(plan):
    return [(c.sources[0], c.dest) for c in plan.stages[-1].instructions if c.kind == "copy" and c.from_stage == "build"]


def test_quarkus_fixture_structure():
    from support import examples as ex

    p = dockgen.plan(ex.project("java-quarkus"))
    assert [dest for _, dest in _final_copies(p.plan)] == ["/app/lib/", "/app/quarkus-run.jar", "/app/app/",
                                                           "/app/quarkus/"]
    assert p.plan.port == 8081 and p.facts.java_version.value == "21"
    final = p.plan.stages[-1]
    assert [i.argv[-1] for i in final.instructions if i.kind == "entrypoint"] == ["/app/quarkus-run.jar"]
    assert [i.argv[-1] for i in final.instructions if i.kind == "healthcheck"] == ["http://127.0.0.1:8081/"]
    assert not p.plan.warnings


def test_micronaut_fixture_structure():
    from support import examples as ex

    p = dockgen.plan(ex.project("java-micronaut"))
    assert _final_copies(p.plan) == [("/src/target/hello-micronaut-1.0.0.jar", "/app/app.jar")]
    assert (p.plan.port, p.facts.java_version.value, p.facts.main_class.value) == (
        8082, "21", "com.example.micronaut.Application")
    assert not p.plan.warnings


def test_modules_fixture_builds_the_app_with_its_sibling():
    from support import examples as ex

    p = dockgen.plan(ex.project("java-maven-modules"))
    assert p.facts.upstream.value == ("greeting-lib",) and p.facts.profile.value == "production"
    assert "mvn -B -Pproduction -pl web-app -am package" in p.dockerfile
    assert p.plan.context.dockerfile == "web-app/Dockerfile"


# ---- hostile shapes ------------------------------------------------------------------------------


def test_parent_cycle_and_escaping_paths_end_the_chain(tmp_path):
    a = xml("<parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version>"
            "<relativePath>../b/pom.xml</relativePath></parent><artifactId>a</artifactId>" + MAIN)
    b = xml("<parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version>"
            "<relativePath>../a/pom.xml</relativePath></parent><artifactId>b</artifactId>")
    root = xml("<groupId>g</groupId><artifactId>r</artifactId><version>1</version><packaging>pom</packaging>"
               "<modules><module>a</module><module>b</module><module>../../etc</module>"
               "<module>/abs</module><module>.</module></modules>")
    write_tree(tmp_path, {"pom.xml": root, "a/pom.xml": a, "b/pom.xml": b})
    f = detect_module(tmp_path, "a")
    assert f.module.value == "a" and f.manifests == ("a/pom.xml", "b/pom.xml", "pom.xml")
    (tmp_path / "a/pom.xml").write_text(a.replace("../b/pom.xml", "../../../etc/passwd"))
    assert detect_module(tmp_path, "a").artifact_id.value == "a"


def test_property_cycle_across_the_chain_is_invalid_input(tmp_path):
    root = tree(tmp_path, props(x="${y}"), props(y="${x}") + "<build><finalName>${x}</finalName></build>" + MAIN)
    with pytest.raises(InvalidInputError, match="cycle") as e:
        detect_module(root, "app")
    assert e.value.file == "app/pom.xml"


def test_unsafe_module_directory_name_is_refused(tmp_path):
    root = tree(tmp_path, modules=("app", "lib", "we ird"))
    (root / "we ird").mkdir()
    (root / "we ird/pom.xml").write_text(child_pom("weird", MAIN))
    with pytest.raises(InvalidInputError, match="relative path"):
        dockgen.plan(root / "app")
