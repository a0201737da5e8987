#!/bin/sh
# How the maintainers start it in their own image.
exec gunicorn -b :5000 --access-logfile - --error-logfile - app:app
