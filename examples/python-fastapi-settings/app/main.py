from fastapi import FastAPI

from .settings import settings

app = FastAPI()


@app.get("/")
def index():
    return {"message": f"{settings.GREETING}, built by dockgen!", "port": settings.PORT}
