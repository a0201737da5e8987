"""Node: where a frontend build writes its files (the folder another stack's server embeds or serves).

Read, never run: an explicit output flag in a script (``--outDir``, ``--outdir``, ``--out-dir``, also
on ``vite build``), else the build tool's own setting or default for ``scripts.build`` (followed
through ``npm run x`` / ``yarn x`` and wrappers such as ``cross-env X=1``, see ``node_script_graph``;
the first tool found wins):

- ``vite build``: with SvelteKit's ``@sveltejs/adapter-static`` in ``svelte.config.*``, the adapter's
  ``pages`` option (the last string of ``process.env.X ?? '../server/dist'``), else its default
  ``build``; otherwise ``build.outDir`` in ``vite.config.*``, else vite's default ``dist``;
- ``react-scripts build``: ``build`` (Create React App has no setting for it);
- ``ng build``: ``outputPath`` of the build target in ``angular.json`` (``{"base": …}`` too);
- ``nuxt generate``: ``dist`` for Nuxt 2, ``.output/public`` for Nuxt 3 and later.

Paths are relative to the package's folder and may leave it (``../server/static``); anything that
is not a plain relative path is not an output dockgen can copy, so it is skipped.
"""

from __future__ import annotations

import posixpath
import re

from . import node_script_graph
from .facts import Fact, Source, fact
from .node_scripts import section, strip_js_comments
from .node_start import strip_jsonc
from .parsing import load_json
from .repo import RepoView

_OUT_FLAG = re.compile(r"--out(?:Dir|dir|-dir)(?:=|\s+)['\"]?([A-Za-z0-9_./@-]+)")
_PLAIN = re.compile(r"[A-Za-z0-9_./@-]+")
_VITE_CONFIGS = ("vite.config.ts", "vite.config.mts", "vite.config.js", "vite.config.mjs", "vite.config.cjs")
_VITE_OUT = re.compile(r"""\boutDir\s*:\s*['"]([^'"]+)['"]""")
_SVELTE_CONFIGS = ("svelte.config.js", "svelte.config.mjs", "svelte.config.ts")
# `pages: 'build'` or `pages: process.env.OUT ?? '../server/dist'` (the literal is the default used).
_PAGES = re.compile(r"""\bpages\s*:\s*(?:[\w.$\[\]'"]+\s*(?:\?\?|\|\|)\s*)?['"]([^'"]+)['"]""")


def _plain(path: str) -> str | None:
    if not _PLAIN.fullmatch(path) or path.startswith("/"):
        return None
    norm = posixpath.normpath(path)
    return None if norm.split("/")[-1] in (".", "..") else norm


def _svelte_static(repo: RepoView) -> tuple[str, Source] | None:
    """SvelteKit's adapter-static writes the site itself (vite's outDir holds only intermediate files)."""
    for cfg in _SVELTE_CONFIGS:
        text = repo.read_text_if_exists(cfg)
        if text is None or "@sveltejs/adapter-static" not in text:
            continue
        m = _PAGES.search(strip_js_comments(text))
        if m:
            return m.group(1), Source.of(cfg, "adapter-static pages")
        return "build", Source.of(cfg, "(adapter-static without pages: its default build)")
    return None


def _vite(repo: RepoView) -> tuple[str, Source]:
    if (svelte := _svelte_static(repo)) is not None:
        return svelte
    for cfg in _VITE_CONFIGS:
        text = repo.read_text_if_exists(cfg)
        if text is None:
            continue
        m = _VITE_OUT.search(strip_js_comments(text))
        if m:
            return m.group(1), Source.of(cfg, "build.outDir")
        return "dist", Source.of(cfg, "(no build.outDir: vite's default dist)")
    return "dist", Source.default("vite's default dist (no vite.config.*)")


def _angular(repo: RepoView) -> tuple[str, Source] | None:
    text = repo.read_text_if_exists("angular.json")
    data = load_json(strip_jsonc(text), "angular.json") if text is not None else None
    projects = data.get("projects") if isinstance(data, dict) else None
    for name, proj in (projects or {}).items() if isinstance(projects, dict) else ():
        opts = section(section(section(proj if isinstance(proj, dict) else {}, "architect"), "build"), "options")
        out = opts.get("outputPath")
        out = out.get("base") if isinstance(out, dict) else out
        if isinstance(out, str):
            browser = "" if isinstance(opts.get("outputPath"), str) else "/browser"
            return out + browser, Source.of("angular.json", f"projects.{name}.architect.build.options.outputPath")
    return None


def _nuxt(pkg: dict) -> tuple[str, Source]:
    spec = str({**section(pkg, "devDependencies"), **section(pkg, "dependencies")}.get("nuxt", ""))
    major = re.search(r"\d+", spec)
    if major and int(major.group(0)) < 3:
        return "dist", Source.of("package.json", f"nuxt {spec} (Nuxt 2 generate writes dist)")
    return ".output/public", Source.of("package.json", "nuxt (Nuxt 3 generate writes .output/public)")


def _tool_output(repo: RepoView, pkg: dict, script: str) -> tuple[str, Source] | None:
    """The output folder of the build tool ``scripts.<script>`` runs (its setting or default)."""
    for _, command in node_script_graph.expand(section(pkg, "scripts"), script):
        words = node_script_graph.words(command)
        while words and words[0] == "exec":
            words = words[1:]
        if words[:2] == ["vite", "build"]:
            return _vite(repo)
        if words[:2] == ["react-scripts", "build"]:
            return "build", Source.of("package.json", "(react-scripts build writes build)")
        if words[:2] == ["ng", "build"]:
            return _angular(repo)
        if words[:2] == ["nuxt", "generate"]:
            return _nuxt(pkg)
    return None


def build_outputs(repo: RepoView, pkg: dict) -> tuple[Fact[tuple[str, str]], ...]:
    """(script, output folder) pairs: ``scripts.build`` first, then every script with an explicit
    output flag (``"release": "vite build --outDir=../server/dist"``), each with its evidence."""
    scripts = section(pkg, "scripts")
    out: list[Fact[tuple[str, str]]] = []
    for name in sorted(scripts, key=lambda n: (n != "build", n)):
        script = scripts[name]
        if not isinstance(script, str) or not re.fullmatch(r"[A-Za-z0-9:_.-]+", name):
            continue
        flag = _OUT_FLAG.search(script)
        found = (flag.group(1), Source.of("package.json", f"scripts.{name} ({flag.group(0)})")) if flag else (
            _tool_output(repo, pkg, name) if name == "build" else None)
        path = _plain(found[0]) if found else None
        if found and path:
            out.append(fact((name, path), found[1]))
    return tuple(out)
