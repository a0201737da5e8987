"""Production settings: a settings package; the debug variant star-imports it."""

import os

SECRET_KEY = os.environ.get("SECRET_KEY", "only-for-the-example")
DEBUG = False
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "*").split(" ")
INSTALLED_APPS = ["hello"]
MIDDLEWARE = []
ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"
DATABASES = {}
USE_TZ = True
