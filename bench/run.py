#!/usr/bin/env python3
"""Benchmark: dockgen's output vs a naive single-stage Dockerfile, per example (numbers for the README).

    eval "$(../shared/lab/lab env)"; python bench/run.py [EXAMPLE ...] [--json results.json]

For each example (its default runner): build dockgen's Dockerfile and a naive one
(``FROM <builder image>``, ``COPY . .``, install, run as root) cold (``--no-cache``), then rebuild
each after a source-only change (a unique comment appended to expect.toml's ``[cache] source``).
Reports image size, cold and warm build time, the dependency steps that re-ran on the warm rebuild,
and the build-context bytes BuildKit transferred with dockgen's .dockerignore and without one (both
contexts get the e2e suite's junk set: a small .git, .env files, keys, a log).

The naive image is ``FROM`` the same builder image dockgen's build stage uses, because the lab has
no full images (``python:3.11``, ``node:20``): for Python and Node that is the *slim* image, so the
naive size here is smaller than real-world naive images; Go and Java builders are the full ones.
Not a timed test: it prints numbers, it asserts nothing (targets are shown next to the numbers).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import dockgen  # noqa: E402
from dockgen import imagecheck as ic  # noqa: E402
from dockgen.engine import Engine  # noqa: E402
from e2e.harness import plant_junk  # noqa: E402  (the e2e suite's .git/.env/keys/log set)
from support import examples as ex  # noqa: E402

BUILDER_NAMES = ("python", "node", "golang", "maven", "eclipse-temurin", "gradle")
COMMENT = {".py": "#", ".go": "//", ".js": "//", ".mjs": "//", ".cjs": "//", ".ts": "//", ".java": "//", ".kt": "//"}


def naive_dockerfile(ctx: Path, ecosystem: str, builder: str, plan) -> tuple[str, str]:
    """(Dockerfile text, the install command): what a hand-written first attempt looks like."""
    if ecosystem == "python":
        install = "pip install -r requirements.txt" if (ctx / "requirements.txt").is_file() else "pip install ."
        cmd = '["python", "app.py"]'
    elif ecosystem == "node":
        if (ctx / "pnpm-lock.yaml").is_file():
            install = "corepack enable && pnpm install --frozen-lockfile"
        elif (ctx / "yarn.lock").is_file():
            install = "yarn install --frozen-lockfile"
        else:
            install = "npm ci" if (ctx / "package-lock.json").is_file() else "npm install"
        cmd = '["npm", "start"]'
    elif ecosystem == "go":
        main = (ex_opts(plan).get("main") or ".").strip("/")
        install = f"go build -buildvcs=false -o /usr/local/bin/app ./{main}" if main != "." else "go build -buildvcs=false -o /usr/local/bin/app ."
        cmd = '["/usr/local/bin/app"]'
    elif ecosystem == "java":
        install = "mvn -B -q package -DskipTests"
        cmd = '["sh", "-c", "java -jar target/*.jar"]'
    else:
        raise SystemExit(f"bench: no naive recipe for {ecosystem}")
    text = f"FROM {builder}\nWORKDIR /app\nCOPY . .\nRUN {install}\nEXPOSE {plan.port or 8080}\nCMD {cmd}\n"
    return text, install


def ex_opts(plan) -> dict:
    return getattr(plan, "_bench_opts", {})


def builder_image(plan) -> str:
    for st in plan.stages:
        if st.image.name.split("/")[-1] in BUILDER_NAMES and st.name:
            return st.image.tagged
    return plan.stages[0].image.tagged


_SIZE = re.compile(r"transferring context: ([0-9.]+)([kMG]?B)")
_UNIT = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9}


def context_bytes(log: str) -> int | None:
    vals = [float(m.group(1)) * _UNIT[m.group(2)] for m in _SIZE.finditer(log)]
    return int(max(vals)) if vals else None


def touch(path: Path) -> None:
    mark = COMMENT.get(path.suffix, "#")
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n{mark} bench: source-only change {uuid.uuid4().hex}\n")


def measure(engine: Engine, ctx: Path, tag: str, source: str, deps_commands: list[str], log) -> dict:
    cold = engine.build(ctx, f"{tag}:cold", no_cache=True)
    if not cold.ok:
        return {"error": "cold build failed: " + cold.tail(8)}
    img = engine.inspect_image(f"{tag}:cold")
    touch(ctx / source)
    warm = engine.build(ctx, f"{tag}:warm")
    if not warm.ok:
        return {"error": "warm build failed: " + warm.tail(8)}
    steps = ic.parse_progress(warm.log)
    deps = [s for c in deps_commands for s in ic.find_run_steps(steps, c)]
    out = {
        "size": int(img["Size"]),
        "layers": len(img["RootFS"]["Layers"]),
        "cold": cold.seconds,
        "warm": warm.seconds,
        "deps_steps": len(deps),
        "deps_rerun": sum(1 for s in deps if not s.cached),
        "context": context_bytes(cold.log),
        "entrypoint": (img.get("Config") or {}).get("Entrypoint"),
    }
    log(f"  {tag}: {out['size'] / 1e6:.1f} MB, cold {cold.seconds:.1f}s, warm {warm.seconds:.1f}s")
    return out


def binary_size(engine: Engine, tag: str, path: str, tmp: Path) -> int | None:
    tar = engine.save(tag, tmp / "img.tar")
    try:
        return ic.file_size_in(ic.layer_members(tar), path)
    finally:
        tar.unlink(missing_ok=True)


def bench_example(engine: Engine, name: str, tmp: Path, log) -> dict:
    e = ex.expect(name)
    runner = e["runners"][0]
    opts = dict(e.get("options", {}))
    source = (e.get("cache") or {}).get("source")
    if not source:
        return {"example": name, "error": "expect.toml has no [cache] source"}
    planned = dockgen.plan(ex.EXAMPLES / name, **opts)
    plan = planned.plan
    deps = [i.command for st in plan.stages for i in st.instructions if getattr(i, "step", None) == "deps"]
    tag = f"dockgen-bench-{name}".lower()
    res: dict = {"example": name, "runner": runner, "ecosystem": plan.ecosystem}
    try:
        gen = tmp / f"{name}-dockgen"
        shutil.copytree(ex.EXAMPLES / name, gen)
        plant_junk(gen)
        (gen / "Dockerfile").write_text(planned.dockerfile, "utf-8")
        (gen / ".dockerignore").write_text(planned.dockerignore, "utf-8")
        res["dockgen"] = measure(engine, gen, f"{tag}-dockgen", source, deps, log)

        nv = tmp / f"{name}-naive"
        shutil.copytree(ex.EXAMPLES / name, nv)
        plant_junk(nv)
        builder = builder_image(plan)
        main = opts.get("main", ".")
        text, install = naive_dockerfile(nv, plan.ecosystem, builder, _Plan(plan, main))
        (nv / "Dockerfile").write_text(text, "utf-8")
        res["naive_from"] = builder
        res["naive"] = measure(engine, nv, f"{tag}-naive", source, [install], log)

        ep = (res["dockgen"].get("entrypoint") or [None])[0]
        if plan.ecosystem == "go" and ep and "error" not in res["dockgen"]:
            res["binary"] = binary_size(engine, f"{tag}-dockgen:cold", ep, tmp)
    finally:
        engine.rmi([f"{tag}-{k}:{w}" for k in ("dockgen", "naive") for w in ("cold", "warm")])
    return res


class _Plan:
    """The plan plus the --main option, for the naive Go recipe."""

    def __init__(self, plan, main):
        self._plan, self._bench_opts = plan, {"main": main}

    def __getattr__(self, item):
        return getattr(self._plan, item)


def _mb(b):
    return f"{b / 1e6:.1f} MB" if b is not None else "-"


def _kb(b):
    return f"{b / 1e3:.1f} kB" if b is not None else "-"


def table(r: dict) -> str:
    if "error" in r:
        return f"### {r['example']}\n\nerror: {r['error']}\n"
    d, n = r["dockgen"], r["naive"]
    if "error" in d or "error" in n:
        return f"### {r['example']}\n\ndockgen: {d.get('error', 'ok')}\n\nnaive: {n.get('error', 'ok')}\n"
    lines = [f"### {r['example']} ({r['ecosystem']}, runner {r['runner']}; naive: `FROM {r['naive_from']}`)", "",
             "| | dockgen | naive |", "|---|---|---|",
             f"| image size | {_mb(d['size'])} | {_mb(n['size'])} |",
             f"| layers | {d['layers']} | {n['layers']} |",
             f"| cold build | {d['cold']:.1f} s | {n['cold']:.1f} s |",
             f"| warm rebuild (source-only change) | {d['warm']:.1f} s | {n['warm']:.1f} s |",
             f"| warm / cold | {d['warm'] / d['cold']:.2f} | {n['warm'] / n['cold']:.2f} |",
             f"| dependency installs re-run on warm rebuild | {d['deps_rerun']} of {d['deps_steps']} | "
             f"{n['deps_rerun']} of {n['deps_steps']} |",
             f"| build context sent | {_kb(d['context'])} (with .dockerignore) | {_kb(n['context'])} (none) |"]
    notes = [f"size ratio dockgen/naive: {d['size'] / n['size']:.2f}"]
    if r["ecosystem"] in ("python", "node"):
        notes[-1] += " (target ≤ 0.5)"
    if r.get("binary"):
        notes.append(f"Go binary {_mb(r['binary'])}, image − binary = {_mb(d['size'] - r['binary'])} (target ≤ 2 MB)")
    notes.append(f"warm/cold {d['warm'] / d['cold']:.2f} (target ≤ 0.15), dependency re-installs: {d['deps_rerun']}")
    return "\n".join(lines) + "\n\n" + "; ".join(notes) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples", nargs="*", help="example names (default: all)")
    ap.add_argument("--docker", help="docker CLI binary (default: DOCKGEN_DOCKER or docker on PATH)")
    ap.add_argument("--network", default="host", help="docker build --network (default host, as in the lab)")
    ap.add_argument("--json", help="also write the raw numbers to this file")
    args = ap.parse_args(argv)
    engine = Engine(binary=args.docker, build_network=args.network)
    engine.check()
    names = args.examples or ex.example_names()
    tmp = Path(tempfile.mkdtemp(prefix="dockgen-bench-"))
    results = []
    try:
        for name in names:
            print(f"bench: {name}", file=sys.stderr)
            r = bench_example(engine, name, tmp, lambda s: print(s, file=sys.stderr))
            results.append(r)
            print(table(r), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
