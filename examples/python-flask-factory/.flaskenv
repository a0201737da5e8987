# Read by `flask run` in development; dockgen reads FLASK_APP from it.
FLASK_APP=hello
FLASK_DEBUG=0
