"""Settings read from the environment (PORT=... overrides the default)."""

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    PORT: int = 5001
    GREETING: str = "Hello from FastAPI"


settings = Settings()
