"""Service detection: the driver shows the service, the variables are the ones the app reads (never invented)."""

from __future__ import annotations

from dockgen.detectors import go, java, node, python, services
from dockgen.detectors.repo import RepoView
from support.tree import write_tree

FLASK = "flask==3.1.2\ngunicorn==23.0.0\n"


def _needs(facts):
    return [(n.kind, n.driver.value, [(v.name, v.role, v.scheme, str(v.source)) for v in n.env])
            for n in facts.app.services]


def _detect(mod, tmp_path, files):
    return mod.detect(RepoView(write_tree(tmp_path, files)))


def test_python_reads_database_url_with_scheme_from_default(tmp_path):
    f = _detect(python, tmp_path, {
        "requirements.txt": FLASK + "psycopg[binary]==3.2.3\nredis==5.2.0\n",
        "app.py": "import os\nfrom flask import Flask\napp = Flask(__name__)\n"
                  "DB = os.getenv('DATABASE_URL', 'postgresql+psycopg://u@h/d')\nR = os.environ['REDIS_URL']\n"})
    assert _needs(f) == [("postgres", "psycopg", [("DATABASE_URL", "url", "postgresql+psycopg", "app.py line 4")]),
                         ("redis", "redis", [("REDIS_URL", "url", "", "app.py line 5")])]


def test_python_settings_class_and_example_scheme(tmp_path):
    f = _detect(python, tmp_path, {
        "requirements.txt": "fastapi==0.115.0\nuvicorn==0.32.0\nasyncpg==0.30.0\n",
        ".env.example": "DATABASE_URL=postgresql://app:x@localhost/app\nSECRET_KEY=x\n",
        "settings.py": "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n"
                       "    database_url: str\n    debug: bool = False\n",
        "main.py": "from fastapi import FastAPI\napp = FastAPI()\n"})
    assert _needs(f) == [("postgres", "asyncpg",
                          [("DATABASE_URL", "url", "postgresql", "settings.py line 4 (pydantic-settings)")])]


def test_python_example_file_when_code_reads_nothing(tmp_path):
    f = _detect(python, tmp_path, {"requirements.txt": FLASK + "pymongo==4.10.1\n",
                                   ".env.sample": "MONGO_URI=mongodb://localhost:27017/app\n",
                                   "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert _needs(f) == [("mongodb", "pymongo", [("MONGO_URI", "url", "mongodb", ".env.sample line 1")])]


def test_python_no_variable_is_a_warning_not_an_invention(tmp_path):
    f = _detect(python, tmp_path, {"requirements.txt": FLASK + "pymysql==1.1.1\n",
                                   "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert _needs(f) == [("mysql", "pymysql", [])]
    assert any("needs mysql (pymysql)" in w and "no variable" in w for w in f.warnings)


def test_no_driver_no_service(tmp_path):
    f = _detect(python, tmp_path, {"requirements.txt": FLASK, "app.py": "import os\nX = os.environ['DATABASE_URL']\n"
                                   "from flask import Flask\napp = Flask(__name__)\n"})
    assert f.app.services == ()


def test_node_prisma_provider_and_env(tmp_path):
    f = _detect(node, tmp_path, {
        "package.json": '{"name": "x", "scripts": {"start": "node server.js"}, '
                        '"dependencies": {"@prisma/client": "5.0.0", "ioredis": "5.0.0"}}',
        "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n  url = env("DATABASE_URL")\n}\n',
        "server.js": "const Redis = require('ioredis');\nconst r = new Redis(process.env.REDIS_HOST);\n"})
    assert _needs(f) == [("postgres", "prisma:postgresql", [("DATABASE_URL", "url", "", "prisma/schema.prisma line 3")]),
                         ("redis", "ioredis", [("REDIS_HOST", "host", "", "server.js line 2")])]


def test_go_getenv(tmp_path):
    f = _detect(go, tmp_path, {
        "go.mod": "module example.com/x\n\ngo 1.22\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n"
                  "\tgithub.com/rabbitmq/amqp091-go v1.10.0\n)\n", "go.sum": "",
        "main.go": 'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n\t_ = os.Getenv("DB_HOST")\n'
                   '\t_ = os.Getenv("AMQP_URL")\n\thttp.ListenAndServe(":8080", nil)\n}\n'})
    assert _needs(f) == [("postgres", "github.com/lib/pq", [("DB_HOST", "host", "", "main.go line 9")]),
                         ("rabbitmq", "github.com/rabbitmq/amqp091-go", [("AMQP_URL", "url", "", "main.go line 10")])]


POM = """<project><modelVersion>4.0.0</modelVersion>
<parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId>
<version>3.4.0</version></parent><groupId>a</groupId><artifactId>demo</artifactId><version>1</version>
<dependencies>
<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
<dependency><groupId>org.mariadb.jdbc</groupId><artifactId>mariadb-java-client</artifactId><scope>runtime</scope></dependency>
<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-test</artifactId><scope>test</scope></dependency>
<dependency><groupId>com.mysql</groupId><artifactId>mysql-connector-j</artifactId><scope>test</scope></dependency>
</dependencies>
<build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
</project>
"""


def test_spring_placeholder_then_relaxed_binding(tmp_path):
    f = _detect(java, tmp_path, {"pom.xml": POM, "src/main/resources/application.properties":
                                 "spring.datasource.url=${DB_URL:jdbc:mariadb://localhost/app}\n"})
    assert _needs(f) == [("mariadb", "org.mariadb.jdbc:mariadb-java-client", [
        ("DB_URL", "url", "jdbc:mariadb", "src/main/resources/application.properties spring.datasource.url"),
        ("SPRING_DATASOURCE_USERNAME", "user", "", "Spring Boot's relaxed binding of spring.datasource.username"),
        ("SPRING_DATASOURCE_PASSWORD", "password", "", "Spring Boot's relaxed binding of spring.datasource.password")])]


def test_classify_names():
    assert services.classify("DATABASE_URL") == ("url", frozenset({"DATABASE"}))
    assert services.classify("POSTGRES_DB") == ("database", frozenset({"POSTGRES"}))
    assert services.classify("PGPASSWORD") == ("password", frozenset({"PG"}))
    assert services.classify("PORT") is None and services.classify("SECRET_KEY") is None


def test_a_generic_database_word_goes_to_the_sql_service_not_the_cache():
    needs = services.from_drivers({"a": "redis", "b": "postgres"}, [("a", services.Source.of("x")),
                                                                    ("b", services.Source.of("x"))])
    reads = [services.Read("DATABASE_URL", services.Source.of("c.py", "line 1")),
             services.Read("CACHE_URL", services.Source.of("c.py", "line 2"))]
    wired = {n.kind: [v.name for v in n.env] for n in services.wire(needs, reads)}
    assert wired == {"postgres": ["DATABASE_URL"], "redis": ["CACHE_URL"]}


def test_other_environments_and_own_env_wrappers(tmp_path):
    f = _detect(python, tmp_path, {
        "requirements.txt": FLASK + "psycopg2-binary==2.9.10\n",
        "settings.py": "import os\nT = os.environ.get('TEST_DATABASE_URL')\nU = os.getenv('DB_USER', 'app')\n"
                       "P = envsecret('DB_PASSWORD', '')\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert _needs(f) == [("postgres", "psycopg2-binary", [("DB_USER", "user", "", "settings.py line 3"),
                                                          ("DB_PASSWORD", "password", "", "settings.py line 4")])]


def test_go_indirect_require_shows_nothing(tmp_path):
    f = _detect(go, tmp_path, {
        "go.mod": "module example.com/x\n\ngo 1.22\n\nrequire go.mongodb.org/mongo-driver/v2 v2.5.0 // indirect\n",
        "go.sum": "", "main.go": 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":8080", nil) }\n'})
    assert f.app.services == ()


def test_celery_broker_from_the_url_scheme(tmp_path):
    f = _detect(python, tmp_path, {
        "requirements.txt": FLASK + "celery==5.4.0\n",
        "tasks.py": "import os\nBROKER = os.getenv('CELERY_BROKER_URL', 'amqp://guest@localhost//')\n",
        "app.py": "from flask import Flask\napp = Flask(__name__)\n"})
    assert _needs(f) == [("rabbitmq", "celery:amqp", [("CELERY_BROKER_URL", "url", "amqp", "tasks.py line 2")])]
