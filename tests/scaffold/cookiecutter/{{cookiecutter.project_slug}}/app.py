"""{{ cookiecutter.project_name }}: a Flask app scaffolded from a template."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def index():
    return "Hello from {{ cookiecutter.project_name }}!\n"
