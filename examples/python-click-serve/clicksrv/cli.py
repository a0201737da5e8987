"""clicksrv: a CLI group; `clicksrv serve` runs the web app."""

import click
from waitress import serve as waitress_serve


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"Hello from clicksrv serve\n"]


@click.group()
def cli():
    """Manage and serve clicksrv."""


@cli.command()
def init():
    """Create the configuration."""
    click.echo("nothing to do")


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8080, type=int, show_default=True)
def serve_cmd(host, port):
    """Serve the web app."""
    waitress_serve(app, host=host, port=port)
