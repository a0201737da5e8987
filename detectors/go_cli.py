"""Go: which command a program runs by default, and the subcommand that serves when it needs one.

Read across all files of a main package and the module packages it imports, then resolved once:
  - cobra: the root command is the one ``Execute`` is called on (``rootCmd.Execute()``,
    ``cmd.NewRootCmd().Execute()``, ``pb.RootCmd.Execute()``), else the one command never passed to
    ``AddCommand``. Its children are the commands passed to the root's ``AddCommand`` (by variable or
    by the function that builds them). A root without ``Run``/``RunE`` (or whose ``Run`` only prints
    help) needs a subcommand. Serving children are those named serve/server/run/start/web/http;
    ``Deprecated`` and ``Hidden`` ones and names that are another child's ``Aliases`` are dropped, so
    a deprecated ``serve`` next to ``server`` leaves one choice.
  - urfave/cli: an app (or v3 root command) with ``Commands`` and no ``Action``.
  - go-flags: an options struct whose fields are tagged ``command:"server"`` (unless the parser sets
    ``SubcommandsOptional``).
  - the standard library: ``switch os.Args[1] { case "serve": … }`` without a ``case ""`` default, or
    ``flag.NewFlagSet("serve", …)``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import go_source as gs
from .facts import Source
from .source_text import line_of

SERVE_WORDS = ("serve", "server", "run", "start", "web", "http")

_COBRA = re.compile(r"(?:\b(\w+)\s*(:=|=|:)\s*|\breturn\s+)?&cobra\.Command\s*\{")
_ADD = re.compile(r"\b((?:\w+\.)*\w+)\.AddCommand\(")
_EXECUTE = re.compile(r"\b((?:\w+\.)*\w+)(?:\([^()]*\))?\.Execute(?:C|Context|ContextC)?\(")
_ASSIGN_CALL = re.compile(r"\b(\w+)\s*:?=\s*(?:\w+\.)*(\w+)\(")
_HELP_ONLY = re.compile(r"\bRunE?\s*:\s*func\s*\([^)]*\)\s*(?:error\s*)?\{\s*(?:return\s+|_\s*=\s*)?"
                        r"\w+\.(?:Help|Usage)\(\)\s*;?\s*(?:return\s+nil\s*)?\}")
_URFAVE_ROOT = re.compile(r"&cli\.(App|Command)\s*\{")
_ARGS_SWITCH = re.compile(r"switch\s+(?:os\.Args\[1\]|flag\.Arg\(0\)|args\[0\]|\w+\.Arg\(0\))\s*\{")
_CASE = re.compile(r'case\s+("[\w:-]*"(?:\s*,\s*"[\w:-]*")*)\s*:')
_FLAGSET = re.compile(r'flag\.NewFlagSet\(\s*"([\w-]+)"')
_GOFLAGS_COMMAND = re.compile(r'`[^`\n]*\bcommand:"([\w-]+)"[^`\n]*`')


@dataclass
class _Cobra:
    name: str
    var: str
    func: str
    runs: bool
    aliases: tuple[str, ...]
    #: Why it is not a choice to serve with ("deprecated", "hidden"), or None.
    dropped: str | None
    #: The Run expression when it is a named handler (``newServerCommandHandler``), else "".
    handler: str
    src: Source


@dataclass(frozen=True)
class Commands:
    #: Where the program shows it needs a subcommand to do anything, or None.
    needs_sub: Source | None = None
    #: Subcommands of the root (or of the stdlib switch), in the order read.
    subcommands: tuple[str, ...] = ()
    #: The subcommands that could serve, after dropping deprecated/hidden ones and aliases.
    serving: tuple[str, ...] = ()
    #: Why some serving names were dropped ("serve: deprecated (internal/cmd/serve.go line 8)").
    notes: tuple[str, ...] = ()


@dataclass
class CommandReader:
    cobras: list[_Cobra] = field(default_factory=list)
    #: (parent identifier, child identifiers) for every ``X.AddCommand(a, b())``.
    adds: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    executed: list[str] = field(default_factory=list)
    calls: dict[str, str] = field(default_factory=dict)
    other_sub: Source | None = None
    other_names: list[str] = field(default_factory=list)

    def read(self, rel: str, text: str) -> None:
        """``text`` has its comments stripped."""
        owners = _Owners(text)
        for m in _COBRA.finditer(text):
            self.cobras.append(_cobra(rel, text, m, owners))
        for m in _ADD.finditer(text):
            kids = tuple(k for k in (_ident(a) for a in gs.args(text, m.end())) if k)
            self.adds.append((m.group(1).rsplit(".", 1)[-1], kids))
        for m in _EXECUTE.finditer(text):
            self.executed.append(m.group(1).rsplit(".", 1)[-1])
        for m in _ASSIGN_CALL.finditer(text):
            self.calls.setdefault(m.group(1), m.group(2))
        self._urfave(rel, text)
        self._stdlib(rel, text)
        self._goflags(rel, text)

    def _urfave(self, rel: str, text: str) -> None:
        for m in _URFAVE_ROOT.finditer(text):
            body = gs.block(text, m.end() - 1)
            top = gs.top_level(body)
            if "Commands" not in top:
                continue
            if not re.search(r"\bAction\s*:", top):
                self.other_sub = Source.of(rel, f"line {line_of(text, m.start())} cli app without Action")
            cm = re.search(r"\bCommands\s*:", body)
            rest = body[cm.end():] if cm else ""
            brace = rest.find("{")
            region = gs.block(rest, brace) if brace >= 0 else ""
            depth = 0
            for part in re.finditer(r'[{}]|\bName\s*:\s*"([\w-]+)"', region):
                tok = part.group(0)
                if tok in "{}":
                    depth += 1 if tok == "{" else -1
                elif depth == 1:
                    self.other_names.append(part.group(1))

    def _goflags(self, rel: str, text: str) -> None:
        if "jessevdk/go-flags" not in text or "SubcommandsOptional" in text:
            return
        for m in _GOFLAGS_COMMAND.finditer(text):
            if m.group(1) not in self.other_names:
                self.other_names.append(m.group(1))
            self.other_sub = self.other_sub or Source.of(rel, f"line {line_of(text, m.start())} go-flags command")

    def _stdlib(self, rel: str, text: str) -> None:
        for m in _ARGS_SWITCH.finditer(text):
            body = gs.block(text, m.end() - 1)
            names = [n for cm in _CASE.finditer(body) for n in re.findall(r'"([\w:-]*)"', cm.group(1))]
            # Only a switch with a serving case and no `case ""` means "no subcommand, no server":
            # `case "version":` alone is an optional extra of a program that serves by default.
            if names and "" not in names and any(n in SERVE_WORDS for n in names):
                self.other_names += names
                self.other_sub = self.other_sub or Source.of(
                    rel, f"line {line_of(text, m.start())} switch on the first argument")
        for m in _FLAGSET.finditer(text):
            if m.group(1) in SERVE_WORDS:
                if m.group(1) not in self.other_names:
                    self.other_names.append(m.group(1))
                self.other_sub = self.other_sub or Source.of(rel, f"line {line_of(text, m.start())} flag.NewFlagSet")

    def result(self) -> Commands:
        root = self._root()
        if root is None:
            names = tuple(dict.fromkeys(self.other_names))
            return Commands(needs_sub=self.other_sub, subcommands=names,
                            serving=tuple(n for n in names if n in SERVE_WORDS))
        kids = self._children(root)
        names = tuple(dict.fromkeys([*(k.name for k in kids if k.name), *self.other_names]))
        serving, notes = _serving(kids)
        needs = None if root.runs else root.src.plus("without Run")
        return Commands(needs_sub=needs or self.other_sub, subcommands=names,
                        serving=serving or tuple(n for n in self.other_names if n in SERVE_WORDS), notes=notes)

    def _root(self) -> _Cobra | None:
        if not self.cobras:
            return None
        added = {k for _, kids in self.adds for k in kids}
        wanted = {self.calls.get(e, e) for e in self.executed} | set(self.executed)
        roots = [c for c in self.cobras if (c.var and c.var in wanted) or (c.func and c.func in wanted)]
        if len(roots) > 1:
            roots = [c for c in roots if not (c.var and c.var in added)] or roots
        if not roots:
            roots = [c for c in self.cobras if not (c.var and c.var in added) and not (c.func and c.func in added)]
            if len(roots) > 1:
                roots = [c for c in roots if "root" in (c.var + c.func).lower()]
        return roots[0] if len(roots) == 1 else None

    def _children(self, root: _Cobra) -> list[_Cobra]:
        parents = {root.var} if root.var else {"rootCmd", "RootCmd", "root", "cmd"}
        idents = {k for parent, kids in self.adds if parent in parents for k in kids}
        kids = [c for c in self.cobras if c is not root and ((c.var and c.var in idents)
                                                           or (c.func and c.func in idents and c.func != root.func))]
        return kids or [c for c in self.cobras if c is not root]


class _Owners:
    """The function each position sits in and the names it returns, computed once per file."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: list[tuple[int, int]] | None = None
        self.returns: dict[str, set[str]] = {}

    def of(self, pos: int) -> tuple[str, set[str]] | None:
        if self.spans is None:
            self.spans = gs.top_level_spans(self.text)
        owner = gs.enclosing_func(self.text, pos, self.spans)
        if owner is None:
            return None
        name, body = owner
        if name not in self.returns:
            self.returns[name] = set(re.findall(r"\breturn\s+&?(\w+)\b", body))
        return name, self.returns[name]


def _cobra(rel: str, text: str, m: re.Match, owners: _Owners) -> _Cobra:
    body = gs.block(text, m.end() - 1)
    top = gs.top_level(body)
    use = re.search(r'\bUse\s*:\s*"([\w:-]+)', top)
    run = re.search(r"\bRunE?\s*:\s*([^,]*)", top)
    runs = run is not None and not _HELP_ONLY.search(body)
    handler = run.group(1).strip() if run else ""
    aliases = re.search(r"\bAliases\s*:\s*\[\]string\s*\{([^}]*)\}", body)
    dropped = ("deprecated" if re.search(r"\bDeprecated\s*:\s*\S", top)
               else "hidden" if re.search(r"\bHidden\s*:\s*true\b", top) else None)
    # A function stands for the command it returns (`return cmd`, `return &cobra.Command{…}`), not
    # for the subcommands it builds along the way.
    owner = owners.of(m.start())
    var = m.group(1) or ""
    returned = owner is not None and (m.group(0).startswith("return") or var in owner[1])
    func = owner[0] if returned else ""
    return _Cobra(name=use.group(1) if use else "", var=var, func=func, runs=runs,
                  aliases=tuple(re.findall(r'"([\w:-]+)"', aliases.group(1))) if aliases else (),
                  dropped=dropped, handler="" if handler.startswith("func") else handler,
                  src=Source.of(rel, f"line {line_of(text, m.start())} cobra command {use.group(1) if use else ''}".rstrip()))


def _ident(arg: str) -> str:
    m = re.match(r"&?(?:\w+\.)*(\w+)\s*(?:\(|$)", arg.strip())
    return m.group(1) if m else ""


def _serving(kids: list[_Cobra]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Serving children, each program once: deprecated/hidden ones and other children's aliases out,
    and of several children sharing one named Run handler only the first."""
    aliases = {a for k in kids for a in k.aliases}
    out: list[_Cobra] = []
    notes: list[str] = []
    for k in kids:
        if k.name not in SERVE_WORDS:
            continue
        if k.dropped:
            notes.append(f"{k.name}: {k.dropped} ({k.src})")
        elif k.name in aliases:
            notes.append(f"{k.name}: an alias of another subcommand ({k.src})")
        elif k.handler and any(o.handler == k.handler for o in out):
            notes.append(f"{k.name}: the same handler {k.handler} as {next(o.name for o in out if o.handler == k.handler)}")
        else:
            out.append(k)
    return tuple(dict.fromkeys(k.name for k in out)), tuple(notes)
