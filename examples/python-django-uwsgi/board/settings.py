"""Settings for the dockgen Django-under-uWSGI example: no database, one view."""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS: list[str] = []
MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]
ROOT_URLCONF = "board.urls"
WSGI_APPLICATION = "board.wsgi.application"
DATABASES: dict = {}
USE_TZ = True
