"""The port the maintainers' own compose file publishes for a service: evidence when the app states none."""

from __future__ import annotations

import pytest

from dockgen import api
from dockgen.detectors import compose_ports
from dockgen.detectors.repo import RepoView
from dockgen.generator.render import with_marker
from support.lint import assert_clean
from support.tree import write_tree
from test_java_modules import BOOT_PARENT, child_pom, parent_pom, xml

CONFIG_IMPORT = "spring.config.import=optional:configserver:http://config:8888/\n"
BOOT_APP = ("<build><plugins><plugin><groupId>org.springframework.boot</groupId>"
            "<artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>")


def member_view(root, member: str) -> RepoView:
    return RepoView(root / member, context=RepoView(root))


@pytest.mark.parametrize("service", [
    "customers-service:\n    image: acme/shop-customers-service\n    ports:\n      - 8081:8081\n",
    "shop-customers-service:\n    ports:\n      - \"9000:8081\"\n",
    "customers:\n    build: ./shop-customers-service\n    ports:\n      - 127.0.0.1:9000:8081/tcp\n",
    "customers:\n    build:\n      context: shop-customers-service\n    ports:\n      - target: 8081\n        published: 80\n",
    "svc:\n    image: registry.example/acme/shop-customers-service:1.2@sha256:abc\n    ports: [8081]\n",
])
def test_a_member_service_is_found_by_build_context_name_or_image(tmp_path, service):
    write_tree(tmp_path, {"docker-compose.yml": "services:\n  config:\n    image: acme/config\n    ports:\n"
                                                "      - 8888:8888\n  " + service,
                          "shop-customers-service/x.txt": ""})
    found = compose_ports.published_port(member_view(tmp_path, "shop-customers-service"))
    assert found is not None and found.value == 8081 and found.confidence == "read"
    assert found.evidence.file == "docker-compose.yml" and found.evidence.field.startswith("services.")


@pytest.mark.parametrize("compose", [
    # the port is a variable, a range, or two ports: not one literal fact
    "services:\n  app:\n    build: .\n    ports:\n      - \"${PORT:-8080}:8080x\"\n",
    "services:\n  app:\n    build: .\n    ports:\n      - 8000-8001:8000-8001\n",
    "services:\n  app:\n    build: .\n    ports:\n      - 8000:8000\n      - 9000:9000\n",
    # two services built from the project: which one is it?
    "services:\n  web:\n    build: .\n    ports: [\"8000:8000\"]\n  worker:\n    build: .\n    ports: [\"9000:9000\"]\n",
    # no service of this project (a root project is matched by its build context only)
    "services:\n  app:\n    image: acme/app\n    ports: [\"8000:8000\"]\n",
    # not YAML, or not a compose file
    "services: [unclosed\n",
    "- just a list\n",
    "services:\n  app:\n    build: .\n    ports: 8000\n",
])
def test_no_single_literal_port_is_no_fact(tmp_path, compose):
    write_tree(tmp_path, {"compose.yaml": compose})
    assert compose_ports.published_port(RepoView(tmp_path)) is None


def test_a_root_project_is_its_build_dot_service(tmp_path):
    write_tree(tmp_path, {"compose.yml": "services:\n  web:\n    build: .\n    ports:\n      - \"80:5005\"\n"})
    found = compose_ports.published_port(RepoView(tmp_path))
    assert (found.value, str(found.evidence)) == (5005, "compose.yml services.web.ports")


def test_dockgens_own_compose_file_is_never_read_back(tmp_path):
    body = "services:\n  app:\n    build: .\n    ports:\n      - 127.0.0.1:8000:8000\n"
    write_tree(tmp_path, {"compose.yaml": with_marker(body)})
    assert compose_ports.published_port(RepoView(tmp_path)) is None


def _microservices(tmp_path, compose: str, app_props: str = CONFIG_IMPORT):
    return write_tree(tmp_path, {
        "pom.xml": parent_pom(modules=("customers-service",), head=BOOT_PARENT),
        "customers-service/pom.xml": child_pom("customers-service", BOOT_APP),
        "customers-service/src/main/resources/application.properties": app_props,
        "customers-service/src/main/java/com/acme/Main.java": "package com.acme; public class Main {}\n",
        "docker-compose.yml": compose})


COMPOSE = "services:\n  customers-service:\n    image: acme/customers-service\n    ports:\n      - 8081:8081\n"


def test_a_config_server_app_takes_the_compose_port_and_the_variable_that_sets_it(tmp_path):
    root = _microservices(tmp_path, COMPOSE)
    res = api.plan(root / "customers-service")
    body = res.dockerfile_body
    assert "EXPOSE 8081" in body and 'ENV SERVER_PORT="8081"' in body
    assert "port 8081 (from docker-compose.yml services.customers-service.ports)" in body
    assert not any("assumed" in w for w in res.plan.warnings)
    assert_clean(body)


def test_the_apps_own_port_setting_wins_over_compose(tmp_path):
    root = _microservices(tmp_path, COMPOSE, app_props="server.port=9090\n")
    body = api.plan(root / "customers-service").dockerfile_body
    assert "EXPOSE 9090" in body and "SERVER_PORT" not in body


def test_without_a_compose_port_the_config_server_port_stays_assumed(tmp_path):
    root = _microservices(tmp_path, "services:\n  other:\n    image: acme/other\n    ports: [\"1:1\"]\n")
    res = api.plan(root / "customers-service")
    assert "EXPOSE 8080" in res.dockerfile_body and "SERVER_PORT" not in res.dockerfile_body
    assert any("8080" in w and "assumed" in w for w in res.plan.warnings)


def test_a_port_option_sets_the_frameworks_variable(tmp_path):
    root = write_tree(tmp_path, {"pom.xml": xml(BOOT_PARENT + "<groupId>com.acme</groupId><artifactId>shop</artifactId>"
                                                "<version>1.0</version>" + BOOT_APP),
                                 "src/main/java/com/acme/Main.java": "package com.acme; public class Main {}\n"})
    assert 'ENV SERVER_PORT="9000"' in api.plan(root, port=9000).dockerfile_body
    assert "SERVER_PORT" not in api.plan(root).dockerfile_body
