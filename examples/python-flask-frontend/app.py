"""Flask serving a single-page UI that the frontend in frontend/ builds into frontend/dist (not committed)."""

from flask import Flask

app = Flask(__name__, static_folder="frontend/dist", static_url_path="")


@app.get("/")
def index():
    return app.send_static_file("index.html")


@app.get("/api/hello")
def hello():
    return {"hello": "python-flask-frontend"}
