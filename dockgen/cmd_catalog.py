"""``dockgen catalog [--json]``: the runtime versions dockgen supports, per stack, with their builder
and runner images, end-of-life date and status (default / supported / eol, as of the catalog's
``reviewed`` date). Reads the stack registry and its catalog sections; lists no stack itself.
Registered in ``cli.py``.
"""

from __future__ import annotations

import json
from typing import Any

import typer

#: Runner image fields of a catalog version entry, in display order.
RUNNER_FIELDS = ("distroless", "slim", "alpine")


def catalog_data() -> dict[str, Any]:
    """{"reviewed": date, "stacks": [{name, title, default, versions: [...]}, ...]} from the registry."""
    from .generator import stacks

    out: list[dict[str, Any]] = []
    reviewed = None
    for stack in stacks.all_stacks():
        rt = stack.runtime()
        reviewed = rt.reviewed
        versions = []
        for v in rt.ordered():
            entry = rt.versions[v]
            runners = {r: getattr(entry, r) for r in RUNNER_FIELDS if getattr(entry, r) is not None}
            runners.update(rt.runners)  # stack-wide runners (Go: scratch, distroless, …)
            versions.append({
                "version": v,
                "status": rt.status(v),
                "eol": entry.eol,
                "builder": entry.builder,
                "runners": runners,
                **({"no_distroless": entry.no_distroless} if entry.no_distroless else {}),
            })
        out.append({"name": stack.name, "title": stack.title, "default": rt.default,
                    "version_option": stack.version_flag, "versions": versions})
    return {"reviewed": reviewed, "stacks": out}


def catalog_cmd(
    as_json: bool = typer.Option(False, "--json", help="The catalog as JSON."),
) -> None:
    """List the supported runtime versions per stack: images, end-of-life date and status."""
    data = catalog_data()
    if as_json:
        typer.echo(json.dumps(data, indent=2, sort_keys=True))
        return
    typer.echo(f"dockgen's version catalog (end of life judged as of {data['reviewed']})")
    for stack in data["stacks"]:
        typer.echo("")
        typer.echo(f"{stack['title']} ({stack['version_option']}; default {stack['default']})")
        for v in stack["versions"]:
            runners = ", ".join(f"{k} {img}" for k, img in v["runners"].items())
            typer.echo(f"  {v['version']:<5} {v['status']:<10} eol {v['eol']}  builder {v['builder']}")
            typer.echo(f"        runners: {runners}")
