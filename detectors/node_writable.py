"""Node: relative directories the app writes at run time (created in the image owned by its user).

Read from the entry file and the local modules it requires (``node_app.reachable``), with evidence
file:line. Shapes:
  - ``fs.mkdirSync('./uploads')``, ``mkdir``/``mkdirp``/``ensureDir`` of a literal, or of
    ``path.join(__dirname, 'data')`` / ``path.resolve(process.cwd(), 'data')``;
  - a ``*_DIR`` / ``*_PATH``-style variable's default: ``process.env.DATA_DIR || './data/'``;
  - multer ``dest: 'uploads/'`` / ``destination: 'uploads/'`` (or ``cb(null, 'uploads/')``);
  - SQLite files: ``new sqlite3.Database('./db/app.db')``, ``new Database('app.db')`` (better-sqlite3),
    ``filename:``/``storage: '….sqlite'`` (knex, Sequelize),
    ``'sqlite:./data/x.db'`` — their directory;
  - ``createWriteStream``/``appendFileSync``/``writeFileSync`` of a file inside a directory.
A literal is relative to the working directory (``/app``), ``__dirname`` to the file's directory;
absolute paths are the operator's business. A path dockgen cannot map is a warning.
"""

from __future__ import annotations

import posixpath
import re

from .facts import Candidate, Source, unique_values
from .source_text import line_of

_LIT = r"""['"]([^'"`\n$]+)['"]"""
_JOIN = r"""path\.(?:join|resolve)\(\s*(__dirname|process\.cwd\(\))\s*((?:,\s*['"][^'"`\n$]+['"]\s*)+)\)"""
_MKDIR = re.compile(r"\b(?:mkdirSync|mkdir|mkdirp|mkdirpSync|mkdirsSync|mkdirs|ensureDirSync|ensureDir)\(\s*"
                    r"(?:" + _LIT + "|" + _JOIN + ")")
_ENV_DIR = re.compile(r"process\.env(?:\.([A-Za-z_]\w*)|\[\s*['\"]([A-Za-z_]\w*)['\"]\s*\])"
                      r"[^;\n]*?(?:\|\||\?\?)\s*" + _LIT + r"\s*(?=[;,)}\n]|$)")
_DIR_NAME = re.compile(r"^[A-Z0-9_]*(?:UPLOAD|MEDIA|DATA|STORAGE|CACHE|FILES|DB|SQLITE|LOG)[A-Z0-9_]*"
                       r"(?:_DIR|_FOLDER|_PATH|_ROOT|_DIRECTORY|_FILE)$")
_MULTER = re.compile(r"\b(?:dest|destination)\s*:\s*" + _LIT)
_MULTER_CB = re.compile(r"\bdestination\s*:\s*(?:async\s+)?(?:function\s*\w*)?\s*\([^)]*\)\s*(?:=>)?\s*\{?"
                        r"[^}]*?\b\w+\(\s*null\s*,\s*" + _LIT)
#: ``new sqlite3.Database('app.db')``, ``new Database('app.db')`` (better-sqlite3), any ``new X('….sqlite')``.
_NEW_DB = re.compile(r"\bnew\s+([\w.]+(?:\(\)\.\w+)?)\(\s*" + _LIT)
_SQLITE_EXT = (".db", ".sqlite", ".sqlite3", ".db3")
_SQLITE_FILE = re.compile(r"\b(?:filename|storage)\s*:\s*['\"]([^'\"`\n$]+\.(?:db|sqlite3?|db3))['\"]|"
                          r"""['"]sqlite:(?://)?([^'"`\n$?]+)['"]""")
_WRITE_FILE = re.compile(r"\b(?:createWriteStream|appendFileSync|appendFile|writeFileSync)\(\s*" + _LIT)


def writable(files: list[tuple[str, str]], warnings: list[str]) -> list[Candidate[str]]:
    """Directories (relative to /app) the code in ``files`` (path, comment-free text) writes into."""
    out: list[Candidate[str]] = []
    for path, code in files:
        found: list[tuple[str, int, bool, str | None]] = []  # (raw path, position, is a file, base dir)
        for m in _MKDIR.finditer(code):
            if m.group(1) is not None:
                found.append((m.group(1), m.start(), False, ""))
                continue
            # __dirname of TypeScript is the compiled file's directory, which the source does not tell.
            base = ("" if m.group(2) != "__dirname" else
                    None if path.endswith((".ts", ".mts", ".cts")) else posixpath.dirname(path))
            found.append(("/".join(re.findall(r"""['"]([^'"]+)['"]""", m.group(3))), m.start(), False, base))
        for m in _ENV_DIR.finditer(code):
            if _DIR_NAME.match((m.group(1) or m.group(2)).upper()):
                found.append((m.group(3), m.start(), _looks_like_file(m.group(3)), ""))
        found += [(m.group(1), m.start(), False, "") for pat in (_MULTER, _MULTER_CB) for m in pat.finditer(code)]
        for m in _NEW_DB.finditer(code):
            raw = m.group(2)
            if raw.endswith(_SQLITE_EXT) or (m.group(1).endswith("Database") and _looks_like_file(raw)):
                found.append((raw, m.start(), True, ""))
        found += [(m.group(1) or m.group(2), m.start(), True, "") for m in _SQLITE_FILE.finditer(code)
                  if (m.group(1) or m.group(2)) != ":memory:"]
        found += [(m.group(1), m.start(), True, "") for m in _WRITE_FILE.finditer(code) if "/" in m.group(1).strip("./")]
        for raw, pos, is_file, base in sorted(found, key=lambda f: f[1]):
            ev = Source.of(path, f"line {line_of(code, pos)}")
            d = _dir_of(raw, is_file=is_file, base=base)
            if d is None:
                warnings.append(f"{ev}: the app writes to {raw!r}, which dockgen cannot map to a directory in the "
                                "image; make it writable for the container user yourself")
            elif d:
                out.append(Candidate(value=d, evidence=ev, confidence="read"))
    return unique_values(out)


def _dir_of(raw: str, *, is_file: bool, base: str | None) -> str | None:
    """The directory relative to /app ("" to ignore: absolute or not a path; None: cannot map, as for a
    ``base`` of None)."""
    raw = raw.strip()
    if base is None:
        return None
    if not raw or raw.startswith(("/", "~")) or "://" in raw or raw.startswith(":"):
        return ""
    rel = posixpath.dirname(raw.rstrip("/")) if is_file else raw
    d = posixpath.normpath(posixpath.join(base, rel) if base else (rel or "."))
    if d.startswith("..") or not re.fullmatch(r"[A-Za-z0-9_.@+-]+(?:/[A-Za-z0-9_.@+-]+)*", d):
        return None
    return d


def _looks_like_file(value: str) -> bool:
    return "." in value.rstrip("/").rsplit("/", 1)[-1][1:]
