from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from greeting import hello

app = FastAPI()


@app.get("/", response_class=PlainTextResponse)
def index() -> str:
    return hello("backend-api")
