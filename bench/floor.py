#!/usr/bin/env python3
"""Bytes a runner image adds over its base, next to the floor (numbers for the README).

    eval "$(../shared/lab/lab env)"; python bench/floor.py [EXAMPLE ...] [--runner R] [--rev REV] [--json out.json]

For each example (its default runner, or ``--runner``), the Dockerfile dockgen generates now (or,
with ``--rev``, the golden Dockerfile and dockerignore recorded at that git revision: the "before"
numbers) is built, and:

- **added** = the bytes of every file in the layers the build put over the runner base, read from
  ``docker save`` (file contents only: no tar headers; a file a later layer replaces counts twice,
  as it does on disk);
- **floor** = what the app cannot run without, measured independently of what dockgen copies:
  the installed production dependencies, read in the build stage (Python: the files the venv's
  RECORDs list for every distribution except pip, setuptools and wheel, unless a runtime
  distribution requires them, with their bytecode; Node: every file of the production
  ``node_modules`` (each workspace member's too; Next.js' standalone output: the ones it traced); Java: the runtime-scope dependency jars and the app's jar; Go: the binary;
  the HEALTHCHECK probe dockgen adds, a Java class or a small Go binary, is not floor),
  plus the app's own files in the image's app directory (lockfiles excluded), plus the shared libraries the runner's
  apt step installs (``*.so*``);
- **tooling**: what the layer-content check (``imagecheck.find_tooling``) reports: installers,
  build backends, package-manager caches, dev dependencies.

Not a timed test: it prints a Markdown table and asserts nothing (the goal is added ≤ 1.3 × floor).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import dockgen  # noqa: E402
from dockgen import imagecheck as ic  # noqa: E402
from dockgen.engine import Engine  # noqa: E402
from support import examples as ex  # noqa: E402
from support import pylocks  # noqa: E402

#: Sums the runtime distributions' files in a site-packages (run with the build stage's interpreter).
PY_FLOOR = r"""
import importlib.metadata as md, os, re, sys, json
sp = sys.argv[1]
canon = lambda n: re.sub(r"[-_.]+", "-", n).lower()
dists = {canon(d.metadata["Name"]): d for d in md.distributions(path=[sp])}
tools = {"pip", "setuptools", "wheel"}
keep = {n for n in dists if n not in tools}
grew = True
while grew:
    need = {canon(re.match(r"[A-Za-z0-9._-]+", r).group(0)) for n in keep for r in (dists[n].requires or [])
            if "extra ==" not in r}
    grew = bool((need & tools) - keep)
    keep |= need & tools & set(dists)
owner = {}
for n, d in dists.items():
    for f in d.files or ():
        owner[os.path.normpath(os.path.join(sp, str(f)))] = n
total = {"runtime": 0, "tools": 0, "other": 0}
for dirpath, _, files in os.walk(sp):
    for name in files:
        p = os.path.join(dirpath, name)
        src = p
        if os.path.basename(dirpath) == "__pycache__":
            src = os.path.join(os.path.dirname(dirpath), name.split(".")[0] + ".py")
        n = owner.get(p) or owner.get(src)
        kind = "other" if n is None else ("runtime" if n in keep else "tools")
        total[kind] += os.path.getsize(p)
print(json.dumps(total))
"""
SUM_FILES = "find {paths} -type f -printf '%s\\n' 2>/dev/null | awk '{{s+=$1}} END {{print s+0}}'"


def _stage_run(engine: Engine, tag: str, argv: list[str], entrypoint: str) -> str:
    p = engine.run_once(tag, argv, entrypoint=entrypoint, timeout=120)
    if p.returncode != 0:
        raise RuntimeError(f"{tag}: {argv[:2]} failed: {p.stderr.strip()[-300:]}")
    return p.stdout.strip()


def deps_floor(engine: Engine, ctx: Path, tag: str, plan, dockerfile: Path | None = None) -> tuple[int, str]:
    """(bytes, what) of the installed production dependencies, read in the build stage."""
    eco = plan.ecosystem
    if eco == "go":
        return 0, "the binary (counted with the app)"
    stage = {"python": "builder", "node": "deps", "java": "build"}[eco]
    if not any(st.name == stage for st in plan.stages):
        return 0, f"no {stage} stage: no production dependencies"
    stag = f"{tag}-{stage}:floor"
    res = engine.build(ctx, stag, dockerfile=dockerfile, target=stage, secrets=plan.secrets)
    if not res.ok:
        raise RuntimeError(f"build of stage {stage} failed: {res.tail(8)}")
    try:
        if eco == "python":
            sp = _stage_run(engine, stag, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                            "/opt/venv/bin/python")
            out = json.loads(_stage_run(engine, stag, ["-c", PY_FLOOR, sp], "/opt/venv/bin/python"))
            return out["runtime"], f"runtime distributions in {sp}"
        # Java: the jar and the runtime-scope dependency jars (copy-dependencies -DincludeScope=runtime),
        # wherever the module's target/ is.
        # Node: the root's node_modules and, in a workspace, each member's own.
        paths = " ".join(sorted({src for i in plan.stages[-1].instructions if i.kind == "copy" and i.from_stage == "deps"
                                 for src in i.sources if src.endswith("/node_modules")} or {"/app/node_modules"})) \
            if eco == "node" else " ".join(
            src for i in plan.stages[-1].instructions if i.kind == "copy" and i.from_stage == "build" for src in i.sources)
        out = _stage_run(engine, stag, ["-c", SUM_FILES.format(paths=paths)], "/bin/sh")
        return int(out), paths
    finally:
        engine.rmi([stag])


_APP_DEPS = re.compile(r"^app/((.*/)?node_modules|lib)/")
#: Lockfiles are what installs, not what runs: in the image they count as added, never as floor.
_LOCKS = re.compile(r"^app/(.*/)?(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|poetry\.lock|"
                    r"uv\.lock|pdm\.lock|Pipfile\.lock)$")
_SHARED_LIB = re.compile(r"^(usr/)?lib/.*\.so(\.[0-9.]+)?$")


def _files(members, own: int):
    return [m for m in members if m.layer >= own and not m.is_dir and not m.path.rsplit("/", 1)[-1].startswith(".wh.")]


def app_and_libs(members, own: int, plan, bundled: bool = False) -> tuple[int, int]:
    """The app's own files in the image (the app directory without its dependency folders; Go: the
    binary) and the shared libraries the runner's own layers install. ``bundled``: the build output
    carries the production dependencies it traced (Next.js standalone), so they are the app's."""
    files = _files(members, own)
    app = sum(m.size for m in files if m.path.startswith("app/") and (bundled or not _APP_DEPS.match(m.path))
              and not _LOCKS.match(m.path)
              and not (plan.ecosystem == "java" and m.path == "app/app.jar"))
    if plan.ecosystem == "go":
        ep = next((i.argv[0] for i in plan.stages[-1].instructions if i.kind == "entrypoint"), "")
        app += sum(m.size for m in files if ep and m.path == ep.lstrip("/"))
    libs = sum(m.size for m in files if _SHARED_LIB.match(m.path))
    return app, libs


def prepare(name: str, runner: str, rev: str | None, dest: Path):
    shutil.copytree(ex.EXAMPLES / name, dest, symlinks=True)
    opts = dict(ex.expect(name).get("options", {}), runner=runner)
    planned = dockgen.plan(ex.project(name), **opts)
    if rev:
        golden = ex.golden_dockerfile(name, runner, ex.expect(name)["runners"][0]).relative_to(ex.ROOT)
        show = lambda p: subprocess.run(["git", "-C", str(ex.ROOT), "show", f"{rev}:{p}"], check=True,
                                        capture_output=True, text=True).stdout
        (dest / "Dockerfile").write_text(show(golden.as_posix()), "utf-8")
        (dest / ".dockerignore").write_text(show(golden.parent.as_posix() + "/dockerignore"), "utf-8")
    elif ex.member(name):
        # A workspace member: its Dockerfile and ignore file beside it, built from the example root.
        where = dest / ex.member(name)
        (where / "Dockerfile").write_text(planned.dockerfile, "utf-8")
        (where / "Dockerfile.dockerignore").write_text(planned.dockerignore, "utf-8")
    else:
        (dest / "Dockerfile").write_text(planned.dockerfile, "utf-8")
        (dest / ".dockerignore").write_text(planned.dockerignore, "utf-8")
    return planned.plan


def measure(engine: Engine, name: str, runner: str, rev: str | None, tmp: Path, log) -> dict:
    ctx = tmp / f"{name}-{runner}"
    plan = prepare(name, runner, rev, ctx)
    tag = f"dockgen-floor-{name}-{runner}".lower()
    dockerfile = ctx / ex.member(name) / "Dockerfile" if ex.member(name) else None
    res = engine.build(ctx, f"{tag}:img", dockerfile=dockerfile, secrets=plan.secrets)
    if not res.ok:
        return {"example": name, "runner": runner, "error": res.tail(8)}
    try:
        base = plan.stages[-1].image
        own = 0 if base.name == "scratch" else len(engine.inspect_image(base.ref)["RootFS"]["Layers"])
        tar = engine.save(f"{tag}:img", tmp / "img.tar")
        members = ic.layer_members(tar)
        tar.unlink()
        deps, what = deps_floor(engine, ctx, tag, plan, dockerfile)
        app, libs = app_and_libs(members, own, plan, bundled=plan.ecosystem == "node" and "no deps stage" in what)
        facts = planned_facts(name, runner)
        out = {"example": name, "runner": runner, "added": sum(m.size for m in _files(members, own)),
               "floor": deps + app + libs, "deps": deps, "app": app, "libs": libs, "deps_from": what,
               "tooling": ic.find_tooling(members, own, allowed=ic.runtime_tools(facts))}
    finally:
        engine.rmi([f"{tag}:img"])
    out["ratio"] = out["added"] / out["floor"] if out["floor"] else None
    log(f"  {name} ({runner}): added {out['added'] / 1e6:.2f} MB, floor {out['floor'] / 1e6:.2f} MB")
    return out


def planned_facts(name: str, runner: str):
    return dockgen.plan(ex.project(name), **dict(ex.expect(name).get("options", {}), runner=runner)).facts


def row(r: dict) -> str:
    if "error" in r:
        return f"| {r['example']} | {r['runner']} | error | | | {r['error'].splitlines()[-1][:80]} |"
    mb = lambda b: f"{b / 1e6:.2f} MB" if b >= 1e6 else f"{b / 1e3:.1f} kB"
    ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "-"
    tooling = ", ".join(r["tooling"][:4]) or "none"
    return f"| {r['example']} | {r['runner']} | {mb(r['added'])} | {mb(r['floor'])} | {ratio} | {tooling} |"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("examples", nargs="*", help="example names (default: all)")
    ap.add_argument("--runner", help="this runner instead of each example's default")
    ap.add_argument("--rev", help="build the golden files recorded at this git revision (before numbers)")
    ap.add_argument("--json", help="also write the raw numbers to this file")
    args = ap.parse_args(argv)
    engine = Engine(build_network="host")
    engine.check()
    pylocks.ensure_generated_locks()
    tmp = Path(tempfile.mkdtemp(prefix="dockgen-floor-"))
    results = []
    print("| example | runner | added over the base | floor | added / floor | installers, caches, dev tools |")
    print("|---|---|---|---|---|---|")
    try:
        for name in args.examples or ex.example_names():
            runner = args.runner or ex.expect(name)["runners"][0]
            try:
                r = measure(engine, name, runner, args.rev, tmp, lambda s: print(s, file=sys.stderr))
            except RuntimeError as exc:
                r = {"example": name, "runner": runner, "error": str(exc)}
            results.append(r)
            print(row(r), flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, sort_keys=True) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
