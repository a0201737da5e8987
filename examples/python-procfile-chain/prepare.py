"""A release step: the Procfile runs it before the server."""

print("prepared")
