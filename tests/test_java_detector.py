"""Java (Maven) detector: every fact and its source, property resolution, precedence, refusals."""

from __future__ import annotations

import pytest

from dockgen.detectors import java
from dockgen.detectors.errors import InvalidInputError
from dockgen.detectors.repo import RepoView
from support.tree import write_tree

NS = 'xmlns="http://maven.apache.org/POM/4.0.0"'


def pom(body: str, *, ns: bool = True, gav: str | None = None) -> str:
    if gav is None:
        gav = "<groupId>com.acme</groupId><artifactId>shop</artifactId><version>2.3.4</version>"
    return f'<?xml version="1.0"?>\n<project {NS if ns else ""}><modelVersion>4.0.0</modelVersion>{gav}{body}</project>\n'


def write(tmp_path, files: dict[str, str]):
    return java.detect(RepoView(write_tree(tmp_path, files)))


def detect_pom(tmp_path, body: str = "", **kw):
    return write(tmp_path, {"pom.xml": pom(body, **kw)})


def props(**kv: str) -> str:
    return "<properties>" + "".join(f"<{k}>{v}</{k}>" for k, v in kv.items()) + "</properties>"


def compiler(**cfg: str) -> str:
    inner = "".join(f"<{k}>{v}</{k}>" for k, v in cfg.items())
    return ("<build><plugins><plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version>"
            f"<configuration>{inner}</configuration></plugin></plugins></build>")


# ---- presence and identity --------------------------------------------------------------------


def test_no_pom_is_not_java(tmp_path):
    (tmp_path / "build.gradle").write_text("plugins {}\n")
    assert java.detect(RepoView(tmp_path)) is None


def test_identity_facts_and_sources(tmp_path):
    f = detect_pom(tmp_path, "<name>Shop  Service</name><description>Sells\n  things</description>"
                             "<licenses><license><name>MIT</name></license><license><name>Apache-2.0</name>"
                             "</license></licenses><scm><url>https://example.org/acme/shop</url></scm>")
    assert (f.group_id.value, str(f.group_id.source)) == ("com.acme", "pom.xml <groupId>")
    assert (f.artifact_id.value, str(f.artifact_id.source)) == ("shop", "pom.xml <artifactId>")
    assert (f.version.value, str(f.version.source)) == ("2.3.4", "pom.xml <version>")
    assert (f.name.value, str(f.name.source)) == ("Shop Service", "pom.xml <name>")
    assert f.description.value == "Sells things"
    assert (f.licenses.value, str(f.licenses.source)) == ("MIT OR Apache-2.0", "pom.xml <licenses><license><name>")
    assert (f.scm_url.value, str(f.scm_url.source)) == ("https://example.org/acme/shop", "pom.xml <scm><url>")
    assert (f.packaging.value, str(f.packaging.source)) == ("jar", "pom.xml (Maven's default)")
    assert f.manifests == ("pom.xml",)
    assert f.ecosystem == "java"


def test_pom_without_namespace(tmp_path):
    f = detect_pom(tmp_path, props(**{"maven.compiler.release": "17"}), ns=False)
    assert f.artifact_id.value == "shop" and f.java_version.value == "17"


def test_explicit_packaging(tmp_path):
    f = detect_pom(tmp_path, "<packaging>war</packaging>")
    assert (f.packaging.value, str(f.packaging.source)) == ("war", "pom.xml <packaging>")


def test_group_and_version_inherited_from_parent(tmp_path):
    gav = ("<parent><groupId>com.acme</groupId><artifactId>acme-parent</artifactId><version>7.1</version></parent>"
           "<artifactId>shop</artifactId>")
    f = detect_pom(tmp_path, gav=gav)
    assert (f.group_id.value, str(f.group_id.source)) == ("com.acme", "pom.xml <parent><groupId>")
    assert (f.version.value, str(f.version.source)) == ("7.1", "pom.xml <parent><version>")
    assert f.final_name.value == "shop-7.1"


def test_missing_version_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInputError, match="no <version>") as e:
        detect_pom(tmp_path, gav="<groupId>a</groupId><artifactId>b</artifactId>")
    assert e.value.exit_code == 5 and e.value.file == "pom.xml"


def test_unsafe_artifact_id_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="artifactId"):
        detect_pom(tmp_path, gav="<artifactId>shop&#10;RUN curl evil</artifactId><version>1</version>")


def test_modules_fact(tmp_path):
    f = detect_pom(tmp_path, "<packaging>pom</packaging><modules><module>api</module><module>web</module></modules>")
    assert f.modules.value == ("api", "web") and str(f.modules.source) == "pom.xml <modules>"


# ---- properties ---------------------------------------------------------------------------------


def test_property_chain_resolves(tmp_path):
    f = detect_pom(tmp_path, props(**{"jdk": "21", "java.release": "${jdk}", "maven.compiler.release": "${java.release}"}))
    assert (f.java_version.value, str(f.java_version.source)) == ("21", "pom.xml <maven.compiler.release>")


def test_project_properties_resolve_in_final_name(tmp_path):
    f = detect_pom(tmp_path, "<build><finalName>${project.artifactId}-app-${project.version}</finalName></build>")
    assert (f.final_name.value, str(f.final_name.source)) == ("shop-app-2.3.4", "pom.xml <build><finalName>")


def test_final_name_default(tmp_path):
    f = detect_pom(tmp_path)
    assert (f.final_name.value, str(f.final_name.source)) == ("shop-2.3.4", "pom.xml <artifactId>-<version>")


def test_undefined_property_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInputError, match=r"\$\{revision\} is not defined") as e:
        detect_pom(tmp_path, gav="<groupId>a</groupId><artifactId>b</artifactId><version>${revision}</version>")
    assert e.value.file == "pom.xml"


def test_property_cycle_is_invalid_input(tmp_path):
    with pytest.raises(InvalidInputError, match="cycle"):
        detect_pom(tmp_path, props(**{"a": "${b}", "b": "${a}", "maven.compiler.release": "${a}"}))


def test_property_injection_refused(tmp_path):
    with pytest.raises(InvalidInputError):
        detect_pom(tmp_path, props(fn="x\nRUN id") + "<build><finalName>${fn}</finalName></build>")


# ---- Java version precedence ---------------------------------------------------------------------


@pytest.mark.parametrize("body,value,source", [
    (props(**{"maven.compiler.release": "17", "maven.compiler.target": "21", "java.version": "11"}),
     "17", "pom.xml <maven.compiler.release>"),
    (props(**{"maven.compiler.target": "21", "java.version": "17"}), "21", "pom.xml <maven.compiler.target>"),
    (props(**{"maven.compiler.target": "1.8"}), "8", "pom.xml <maven.compiler.target>"),
    (props(**{"java.version": "17"}), "17", "pom.xml <java.version>"),
    (props(**{"maven.compiler.release": "17"}) + compiler(release="21"), "21",
     "pom.xml maven-compiler-plugin <release>"),
    (props(**{"maven.compiler.target": "17"}) + compiler(release="21"), "21",
     "pom.xml maven-compiler-plugin <release>"),
    (props(**{"maven.compiler.release": "17"}) + compiler(target="21"), "17", "pom.xml <maven.compiler.release>"),
    (compiler(target="${jv}") + props(jv="21"), "21", "pom.xml maven-compiler-plugin <target>"),
], ids=["release>target>java.version", "target>java.version", "target-1.8", "java.version",
        "plugin-release>property", "plugin-release>target", "release>plugin-target", "plugin-target-property"])
def test_java_version_precedence(tmp_path, body, value, source):
    f = detect_pom(tmp_path, body)
    assert (f.java_version.value, str(f.java_version.source)) == (value, source)


def test_no_java_version(tmp_path):
    assert detect_pom(tmp_path).java_version is None


def test_bad_java_version(tmp_path):
    with pytest.raises(InvalidInputError, match="not a Java version"):
        detect_pom(tmp_path, props(**{"maven.compiler.release": "latest"}))


# ---- Spring Boot ---------------------------------------------------------------------------------

BOOT_PLUGIN = ("<build><plugins><plugin><groupId>org.springframework.boot</groupId>"
               "<artifactId>spring-boot-maven-plugin</artifactId>{v}</plugin></plugins></build>")


def boot_parent(version: str) -> str:
    return ("<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>"
            f"<version>{version}</version><relativePath/></parent><groupId>com.acme</groupId>"
            "<artifactId>shop</artifactId><version>1.0</version>")


def test_boot_from_parent(tmp_path):
    f = detect_pom(tmp_path, BOOT_PLUGIN.format(v=""), gav=boot_parent("3.5.6"))
    assert (f.spring_boot.value, str(f.spring_boot.source)) == ("3.5.6", "pom.xml <parent> spring-boot-starter-parent")
    assert f.boot_plugin.value is True
    assert f.warnings == ()  # the parent manages the plugin's version


def test_boot_from_plugin_version(tmp_path):
    f = detect_pom(tmp_path, props(boot="3.2.4") + BOOT_PLUGIN.format(v="<version>${boot}</version>"))
    assert (f.spring_boot.value, str(f.spring_boot.source)) == ("3.2.4", "pom.xml spring-boot-maven-plugin <version>")


def test_boot_from_bom_import(tmp_path):
    bom = ("<dependencyManagement><dependencies><dependency><groupId>org.springframework.boot</groupId>"
           "<artifactId>spring-boot-dependencies</artifactId><version>2.7.18</version><type>pom</type>"
           "<scope>import</scope></dependency></dependencies></dependencyManagement>")
    f = detect_pom(tmp_path, bom + BOOT_PLUGIN.format(v=""))
    assert (f.spring_boot.value, str(f.spring_boot.source)) == ("2.7.18", "pom.xml <dependencyManagement> spring-boot-dependencies")


def test_boot_plugin_without_any_version_is_invalid(tmp_path):
    with pytest.raises(InvalidInputError, match="no Spring Boot version"):
        detect_pom(tmp_path, BOOT_PLUGIN.format(v=""))


def test_boot_parent_without_plugin_warns(tmp_path):
    f = detect_pom(tmp_path, gav=boot_parent("3.3.0"))
    assert f.boot_plugin is None
    assert any("not repackaged" in w for w in f.warnings)


def test_not_boot(tmp_path):
    f = detect_pom(tmp_path)
    assert f.spring_boot is None and f.boot_plugin is None


# ---- the jar ---------------------------------------------------------------------------------------

JAR_PLUGIN = ("<build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><version>3.4.2</version>"
              "<configuration><archive><manifest>{m}</manifest></archive></configuration></plugin></plugins></build>")


def test_main_class_and_classpath_prefix(tmp_path):
    f = detect_pom(tmp_path, JAR_PLUGIN.format(
        m="<mainClass>com.acme.Main</mainClass><addClasspath>true</addClasspath><classpathPrefix>libs/</classpathPrefix>"))
    assert (f.main_class.value, str(f.main_class.source)) == ("com.acme.Main", "pom.xml maven-jar-plugin <mainClass>")
    assert (f.classpath_prefix.value, str(f.classpath_prefix.source)) == ("libs/", "pom.xml maven-jar-plugin <classpathPrefix>")


def test_main_class_without_classpath(tmp_path):
    f = detect_pom(tmp_path, JAR_PLUGIN.format(m="<mainClass>com.acme.Main</mainClass>"))
    assert f.main_class.value == "com.acme.Main" and f.classpath_prefix is None


def test_unsafe_main_class_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="Java class name"):
        detect_pom(tmp_path, JAR_PLUGIN.format(m='<mainClass>Main", "sh</mainClass>'))


def test_shade_main_class(tmp_path):
    shade = ("<build><plugins><plugin><artifactId>maven-shade-plugin</artifactId><version>3.6.0</version>"
             "<executions><execution><goals><goal>shade</goal></goals><configuration><transformers>"
             '<transformer implementation="org.apache.maven.plugins.shade.resource.ManifestResourceTransformer">'
             "<mainClass>com.acme.Fat</mainClass></transformer></transformers></configuration></execution>"
             "</executions></plugin></plugins></build>")
    f = detect_pom(tmp_path, shade)
    assert f.shaded.value is True and str(f.shaded.source) == "pom.xml <build><plugins> maven-shade-plugin"
    assert (f.main_class.value, str(f.main_class.source)) == ("com.acme.Fat", "pom.xml maven-shade-plugin <mainClass>")


def test_runtime_dependency_count(tmp_path):
    deps = ("<dependencies>"
            "<dependency><groupId>a</groupId><artifactId>compile</artifactId><version>1</version></dependency>"
            "<dependency><groupId>a</groupId><artifactId>rt</artifactId><version>1</version><scope>runtime</scope></dependency>"
            "<dependency><groupId>a</groupId><artifactId>t</artifactId><version>1</version><scope>test</scope></dependency>"
            "<dependency><groupId>a</groupId><artifactId>p</artifactId><version>1</version><scope>provided</scope></dependency>"
            "<dependency><groupId>a</groupId><artifactId>o</artifactId><version>1</version><optional>true</optional></dependency>"
            "</dependencies>")
    f = detect_pom(tmp_path, deps)
    assert (f.runtime_dependencies.value, str(f.runtime_dependencies.source)) == (2, "pom.xml <dependencies>")


# ---- wrapper ---------------------------------------------------------------------------------------


def test_wrapper_honoured(tmp_path):
    f = write(tmp_path, {"pom.xml": pom(""), "mvnw": "#!/bin/sh\n",
                         ".mvn/wrapper/maven-wrapper.properties": "distributionUrl=x\n"})
    assert f.wrapper.value is True
    assert str(f.wrapper.source) == "mvnw, .mvn/wrapper/maven-wrapper.properties"


def test_wrapper_script_alone_is_ignored_with_warning(tmp_path):
    f = write(tmp_path, {"pom.xml": pom(""), "mvnw": "#!/bin/sh\n"})
    assert f.wrapper is None
    assert any("mvnw" in w and "not used" in w for w in f.warnings)


# ---- warnings --------------------------------------------------------------------------------------


def test_maven_warnings(tmp_path):
    body = ("<dependencies>"
            "<dependency><groupId>a</groupId><artifactId>snap</artifactId><version>1.0-SNAPSHOT</version></dependency>"
            "<dependency><groupId>a</groupId><artifactId>range</artifactId><version>[1.0,2.0)</version></dependency>"
            "<dependency><groupId>a</groupId><artifactId>ok</artifactId><version>1.0</version></dependency>"
            "</dependencies><build><plugins>"
            "<plugin><artifactId>maven-jar-plugin</artifactId></plugin>"
            "<plugin><artifactId>maven-compiler-plugin</artifactId></plugin>"
            "<plugin><artifactId>maven-resources-plugin</artifactId><version>3.3.1</version></plugin>"
            "</plugins><pluginManagement><plugins>"
            "<plugin><artifactId>maven-compiler-plugin</artifactId><version>3.13.0</version></plugin>"
            "</plugins></pluginManagement></build>")
    w = detect_pom(tmp_path, body).warnings
    assert any("a:snap" in x and "SNAPSHOT" in x for x in w)
    assert any("a:range" in x and "version range [1.0,2.0)" in x for x in w)
    assert any("maven-jar-plugin" in x and "no <version>" in x for x in w)
    assert not any("maven-compiler-plugin" in x for x in w), "managed in <pluginManagement>: no warning"
    assert not any("a:ok" in x or "resources" in x for x in w)
    assert list(w) == sorted(w)


def test_snapshot_property_version_warns(tmp_path):
    body = props(v="2.0-SNAPSHOT") + ("<dependencies><dependency><groupId>a</groupId><artifactId>b</artifactId>"
                                     "<version>${v}</version></dependency></dependencies>")
    assert any("2.0-SNAPSHOT" in x for x in detect_pom(tmp_path, body).warnings)


def test_clean_pom_has_no_warnings(tmp_path):
    assert detect_pom(tmp_path).warnings == ()


# ---- port ------------------------------------------------------------------------------------------

APP = "src/main/resources/"


def boot_repo(tmp_path, files: dict[str, str]):
    return write(tmp_path, {"pom.xml": pom(BOOT_PLUGIN.format(v=""), gav=boot_parent("3.5.6")), **files})


@pytest.mark.parametrize("name,text,port", [
    ("application.properties", "spring.application.name=x\nserver.port=9090\n", 9090),
    ("application.properties", "# server.port=1\nserver.port = ${PORT:8181}\n", 8181),
    ("application.properties", "server.port: 7070\n", 7070),
    ("application.yml", "spring:\n  application:\n    name: x\nserver:\n  port: 9443\n", 9443),
    ("application.yaml", "server.port: 8282\n", 8282),
    ("application.yml", "server:\n  servlet:\n    port: 1\n  port: \"8383\"\n", 8383),
])
def test_port_from_application_config(tmp_path, name, text, port):
    f = boot_repo(tmp_path, {APP + name: text})
    (cand,) = f.app.port
    assert (cand.value, str(cand.evidence), cand.confidence) == (port, f"{APP}{name} server.port", "read")


def test_spring_config_dir_wins(tmp_path):
    f = boot_repo(tmp_path, {APP + "application.properties": "server.port=9090\n",
                             APP + "config/application.yml": "server:\n  port: 9191\n"})
    assert (f.app.port[0].value, str(f.app.port[0].evidence)) == (9191, f"{APP}config/application.yml server.port")


@pytest.mark.parametrize("text", ["server.port=${PORT}\n", "server.port=${a}${b}\n", "other=1\n", "server.port=0\n"])
def test_port_not_simple_falls_back_to_the_framework_default(tmp_path, text):
    f = boot_repo(tmp_path, {APP + "application.properties": text})
    (cand,) = f.app.port
    assert (cand.value, str(cand.evidence), cand.confidence) == (8080, "Spring Boot's default server.port", "derived")


def test_port_behind_a_config_server_is_assumed(tmp_path):
    """petclinic-microservices: the config server (another repository) sets server.port 8081."""
    yml = "spring:\n  config:\n    import: optional:configserver:${CONFIG_SERVER_URL:http://localhost:8888/}\n"
    cand = boot_repo(tmp_path, {APP + "application.yml": yml}).app.port[0]
    assert (cand.value, cand.confidence) == (8080, "assumed")
    assert "imports a config server" in str(cand.evidence)


def test_port_out_of_range_refused(tmp_path):
    with pytest.raises(InvalidInputError, match="port"):
        boot_repo(tmp_path, {APP + "application.properties": "server.port=99999\n"})


def test_plain_jar_names_no_port(tmp_path):
    f = write(tmp_path, {"pom.xml": pom(""), APP + "application.properties": "server.port=9090\n"})
    assert f.app.port == ()  # the planner assumes 8080 and says so


# ---- hostile XML -----------------------------------------------------------------------------------

XXE = ('<?xml version="1.0"?>\n<!DOCTYPE project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
       f'<project {NS}><artifactId>&xxe;</artifactId><version>1</version></project>\n')
BILLION = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n'
           f'<project {NS}><artifactId>&lol2;</artifactId><version>1</version></project>\n')


@pytest.mark.parametrize("text", [XXE, BILLION], ids=["xxe", "entity-expansion"])
def test_entities_refused(tmp_path, text):
    (tmp_path / "pom.xml").write_text(text)
    with pytest.raises(InvalidInputError, match="unsafe XML") as e:
        java.detect(RepoView(tmp_path))
    assert e.value.exit_code == 5 and e.value.file == "pom.xml"


def test_malformed_pom(tmp_path):
    (tmp_path / "pom.xml").write_text("<project><artifactId>x</project>")
    with pytest.raises(InvalidInputError, match="invalid XML"):
        java.detect(RepoView(tmp_path))


def test_wrong_root_element(tmp_path):
    (tmp_path / "pom.xml").write_text("<settings/>")
    with pytest.raises(InvalidInputError, match="not <project>"):
        java.detect(RepoView(tmp_path))
