"""``compose.yaml``: the app service locked down, and the backing services it needs.

The file is built as plain data and written by PyYAML's ``safe_dump``: no value from the repository
(a path, a member name, a variable name, a note) is ever pasted into YAML text, so none can add a key
or a service. Compose also interpolates ``$`` in every value: repository text goes through ``literal``
(``$`` → ``$$``), and only the file's own ``${VAR:?…}`` references (variable names checked against
``ENV_NAME``) are interpolated. Comments go through ``comment`` (one line, no control characters).

The app service (defaults; README "compose.yaml"):
- ``read_only: true``; ``/tmp`` is a tmpfs; each directory the Dockerfile gives the app user
  (``COPY --chown``) is a named volume when it has a ``VOLUME`` (data), a tmpfs otherwise (a cache);
  when the app writes in its own directory the root stays writable (said in a comment).
- ``cap_drop: [ALL]``, ``security_opt: [no-new-privileges:true]``, the engine's default seccomp
  profile (no ``seccomp`` option is written), ``deploy.resources.limits`` (``LIMITS``), ``init`` per
  stack (``StackDef.compose_init``), the port on 127.0.0.1, ``restart: unless-stopped``.
- The image's HEALTHCHECK is inherited, not repeated: one place to change it (``--healthcheck``).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

from ..detectors.facts import ServiceNeed
from . import models as m
from . import writable
from .catalog import ServiceImage, service_catalog

COMPOSE_FILE = "compose.yaml"
#: The names ``docker compose`` looks for, in its order of preference.
PROJECT_FILES = ("compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml")
ENV_EXAMPLE = ".env.example"
#: The app service's default limits (``compose_cpus``/``compose_memory``/``compose_pids`` override them).
LIMITS = {"cpus": "1", "memory": "512M", "pids": 512}
#: The user and database the services are created with (not secrets).
USER = "app"
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
_UNSAFE = ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def literal(text: str) -> str:
    """Repository text as a compose value: ``$`` is escaped, so compose never interpolates it."""
    return text.replace("$", "$$")


def comment(text: str) -> str:
    """One YAML comment line: line breaks and other control characters become '?'."""
    return "# " + "".join("?" if unicodedata.category(ch) in _UNSAFE else ch for ch in text)


def secret_ref(var: str) -> str:
    """``${VAR:?set VAR in .env}``: compose refuses to start without it; the value is never written."""
    if not ENV_NAME.fullmatch(var):
        raise ValueError(f"not a variable name: {var!r}")
    return "${" + var + ":?set " + var + " in .env}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Mounts:
    """Where the app writes on a read-only root: named volumes (name, path) and tmpfs paths."""

    volumes: tuple[tuple[str, str], ...] = ()
    tmpfs: tuple[str, ...] = ("/tmp",)
    #: Why the root stays writable ("" = read-only).
    writable_root: str = ""


@dataclass(frozen=True)
class AppService:
    """One app to run: its name in the file, how to build it, and what it needs."""

    name: str
    stack: str
    context: str
    dockerfile: str
    port: int | None
    mounts: Mounts
    init: tuple[bool, str]
    services: tuple[ServiceNeed, ...] = ()
    limits: dict = field(default_factory=lambda: dict(LIMITS))


def _final_writes(plan: m.BuildPlan) -> tuple[str, list[str], list[str]]:
    """(workdir, directories the final stage gives the app user, VOLUME paths), absolute."""
    workdir, owned, volumes = "/", [], []
    for ins in plan.stages[-1].instructions:
        if isinstance(ins, m.Workdir):
            workdir = posixpath.join(workdir, ins.path)
        elif isinstance(ins, m.Copy) and ins.chown:
            owned.append(posixpath.normpath(posixpath.join(workdir, ins.dest)))
        elif isinstance(ins, m.Volume):
            volumes += [posixpath.normpath(posixpath.join(workdir, p)) for p in ins.paths]
    return posixpath.normpath(workdir), owned, volumes


def _under(path: str, workdir: str) -> str:
    """``/app/data`` → ``data`` under ``/app`` (the volume's name); other paths stay whole."""
    return posixpath.relpath(path, workdir) if path.startswith(workdir.rstrip("/") + "/") else path


def mounts_of(plan: m.BuildPlan, name: str, writes_workdir: bool = False) -> Mounts:
    """The mounts a read-only root needs, read from the final stage the Dockerfile renders.
    ``writes_workdir``: the app writes next to its code (``AppFacts.writable`` holds ".")."""
    workdir, owned, volumes = _final_writes(plan)
    if writes_workdir:
        return Mounts(writable_root=f"the app writes in {workdir} itself, next to its code")
    named = tuple((f"{name}-{_slug(_under(p, workdir)) or 'root'}", p) for p in dict.fromkeys(volumes))
    scratch = [p for p in dict.fromkeys(owned) if p not in volumes and p != "/tmp"]
    odd = [p for p in scratch if any(c in p for c in ":,")]
    if odd:  # the short tmpfs syntax splits at ":" and ","; such a directory cannot be mounted safely
        return Mounts(writable_root=f"{odd[0]} is written at run time and its name holds ':' or ','")
    # A tmpfs is root's (mode 755) unless told: the app user's directories stay the app user's.
    return Mounts(volumes=named, tmpfs=("/tmp", *(f"{p}:uid={plan.user},gid={plan.user}" for p in scratch)))


def limits(cpus: str | None, memory: str | None, pids: int | None) -> dict:
    return {"cpus": cpus or LIMITS["cpus"], "memory": memory or LIMITS["memory"], "pids": pids or LIMITS["pids"]}


# ---- services ---------------------------------------------------------------------------------


def secret_var(kind: str, apps: tuple[AppService, ...]) -> str | None:
    """The .env variable holding ``kind``'s password: the first app's own password variable, else the
    image's; None for a server without users (Redis, Valkey) that no app gives a password."""
    for app in apps:
        for need in app.services:
            if need.kind == kind:
                for var in need.env:
                    if var.role == "password" and ENV_NAME.fullmatch(var.name):
                        return var.name
    svc = service_catalog()[kind]
    return svc.password_env or None


def _url(kind: str, svc: ServiceImage, scheme: str, secret: str | None) -> str:
    cred = (f"{USER if svc.user_env else ''}:{secret_ref(secret)}@" if secret else "")
    path = "/" + (svc.database if not svc.database_env else USER)
    return f"{literal(scheme or svc.scheme)}://{cred}{kind}:{svc.port}{path}{svc.url_query}"


def app_env(app: AppService, secrets: dict[str, str | None]) -> dict[str, str]:
    """The app's connection variables, exactly the names it reads (``ServiceVar``)."""
    out: dict[str, str] = {}
    for need in app.services:
        svc, secret = service_catalog()[need.kind], secrets[need.kind]
        for var in need.env:
            if not ENV_NAME.fullmatch(var.name):
                continue
            value = {"url": lambda: _url(need.kind, svc, var.scheme, secret), "host": lambda: need.kind,
                     "port": lambda: str(svc.port), "user": lambda: USER,
                     "password": lambda: secret_ref(secret) if secret else "",
                     "database": lambda: svc.database if not svc.database_env else USER}[var.role]()
            out.setdefault(var.name, value)
    return out


def service_block(kind: str, secret: str | None) -> dict:
    """One backing service: pinned image, its data volume, its probe; reachable only on the network."""
    svc = service_catalog()[kind]
    env: dict[str, str] = {}
    if svc.user_env:
        env[svc.user_env] = USER
    if secret and svc.password_env:
        env[svc.password_env] = secret_ref(secret)
    if svc.database_env:
        env[svc.database_env] = USER
    env.update(svc.extra_env)
    block: dict = {"image": svc.image}
    if svc.server and secret:
        block["command"] = [*svc.server, "--requirepass", secret_ref(secret)]
        env[svc.auth_env] = secret_ref(secret)
    elif svc.server:
        block["command"] = list(svc.server)
    if env:
        block["environment"] = env
    block.update({"volumes": [f"{kind}-data:{svc.data}"],
                  "healthcheck": {"test": ["CMD", *svc.health], "interval": "5s", "timeout": "5s",
                                  "retries": 10, "start_period": "30s"},
                  "security_opt": ["no-new-privileges:true"], "restart": "unless-stopped"})
    return block


# ---- the file ---------------------------------------------------------------------------------


def app_block(app: AppService, env: dict[str, str], kinds: list[str], host_port: int | None = None) -> dict:
    block: dict = {"build": {"context": literal(app.context), "dockerfile": literal(app.dockerfile)}}
    block["read_only"] = not app.mounts.writable_root
    block["tmpfs"] = [literal(p) for p in app.mounts.tmpfs]
    if app.mounts.volumes:
        # The long syntax: a path is one value, whatever characters it holds.
        block["volumes"] = [{"type": "volume", "source": name, "target": literal(path)} for name, path in app.mounts.volumes]
    block.update({"cap_drop": ["ALL"], "security_opt": ["no-new-privileges:true"]})
    if app.init[0]:
        block["init"] = True
    block["deploy"] = {"resources": {"limits": dict(app.limits)}}
    if app.port is not None:
        block["ports"] = [f"127.0.0.1:{host_port or app.port}:{app.port}"]
    if env:
        block["environment"] = env
    if kinds:
        block["depends_on"] = {k: {"condition": "service_healthy"} for k in kinds}
    block["restart"] = "unless-stopped"
    return block


def kinds_of(apps: tuple[AppService, ...]) -> list[str]:
    """Every service kind the apps need, once, in catalog order (shared between apps)."""
    wanted = {need.kind for app in apps for need in app.services}
    return [k for k in service_catalog() if k in wanted]


def _notes(app: AppService) -> list[str]:
    lim = app.limits
    out = [f"{app.name}: {app.stack}, built from {app.context} with {app.dockerfile}; read-only root"
           + (" OFF: " + app.mounts.writable_root if app.mounts.writable_root else "")
           + f", no capabilities, no-new-privileges, default seccomp; limits cpus={lim['cpus']} "
           f"memory={lim['memory']} pids={lim['pids']}",
           f"{app.name}: writable: " + ", ".join([*(f"{p} (volume {n})" for n, p in app.mounts.volumes),
                                                  *(f"{p} (tmpfs)" for p in app.mounts.tmpfs)])]
    reason = app.init[1]
    out.append(f"{app.name}: init: {'true' if app.init[0] else 'false'}" + (f" ({reason})" if reason else ""))
    for need in app.services:
        names = ", ".join(f"{v.name} ({v.role}, {v.source})" for v in need.env) or "none found: wire them yourself"
        out.append(f"{app.name}: needs {need.kind} ({need.driver.value}, {need.driver.source}); reads {names}")
    return out


def host_ports(apps: tuple[AppService, ...]) -> list[int | None]:
    """The port each app is published on: its own, the next free one when an earlier app has it
    (workspace members that all listen on 8080)."""
    used: set[int] = set()
    out: list[int | None] = []
    for app in apps:
        port = app.port
        while port is not None and port in used:
            port = port + 1 if port < 65535 else 1024
        if port is not None:
            used.add(port)
        out.append(port)
    return out


def render_body(apps: tuple[AppService, ...], images: dict[str, str] | None = None) -> str:
    """compose.yaml without dockgen's header lines (see the module doc)."""
    kinds = kinds_of(apps)
    secrets = {k: secret_var(k, apps) for k in kinds}
    lines = ["Run it: `docker compose up -d --wait`" + ("; secrets come from .env (copy .env.example and "
                                                        "fill it in; never commit it)" if any(secrets.values()) else ""),
             "The app's port is published on 127.0.0.1 only; the services are reachable only by the app.",
             "The image's HEALTHCHECK is inherited (not repeated here): `up --wait` waits for it."]
    for app in apps:
        lines += _notes(app)
    services: dict = {}
    for app, host in zip(apps, host_ports(apps)):
        services[app.name] = app_block(app, app_env(app, secrets), [k for k in kinds if k in
                                                                     {n.kind for n in app.services}], host)
    for k in kinds:
        services[k] = service_block(k, secrets[k])
        if images and k in images:
            services[k]["image"] = images[k]
    volumes = [n for app in apps for n, _ in app.mounts.volumes] + [f"{k}-data" for k in kinds]
    data: dict = {"services": services}
    if volumes:
        data["volumes"] = {n: {} for n in dict.fromkeys(volumes)}
    text = yaml.safe_dump(data, sort_keys=False, default_flow_style=False, allow_unicode=False, width=1 << 20)
    return "\n".join(comment(line) for line in lines) + "\n" + text


def env_example_body(apps: tuple[AppService, ...]) -> str | None:
    """``.env.example``: the names of the secrets compose.yaml reads, no values (None: there are none)."""
    kinds = kinds_of(apps)
    names = list(dict.fromkeys(s for s in (secret_var(k, apps) for k in kinds) if s))
    if not names:
        return None
    return ("# Copy to .env (untracked) and set each value; compose.yaml reads them and refuses to start without.\n"
            "# Letters, digits, '-', '_', '.' only: a password also goes into the app's connection URL.\n"
            + "".join(f"{n}=\n" for n in names))


def app_service(plan: m.BuildPlan, facts, options, init: tuple[bool, str], *, name: str = "app",
                context: str | None = None, dockerfile: str | None = None) -> AppService:
    """The app as ``dockgen init`` plans it; ``context``/``dockerfile`` relative to the compose file
    (default: the Dockerfile's own build line — a member's context is its workspace root)."""
    c = plan.context
    return AppService(name=name, stack=plan.ecosystem,
                      context=context or (c.root if c else "."), dockerfile=dockerfile or (c.dockerfile if c else "Dockerfile"),
                      port=plan.port, mounts=mounts_of(plan, name, "." in writable.dirs(facts.app)), init=init, services=facts.app.services,
                      limits=limits(options.compose_cpus, options.compose_memory, options.compose_pids))


def service_images(apps: tuple[AppService, ...], lock=None) -> dict[str, str]:
    """kind → the image reference compose.yaml names: the catalog's tag, with dockgen.lock's digest."""
    from .catalog import image
    from .pins import pinned_image

    out = {}
    for k in kinds_of(apps):
        ref = image(service_catalog()[k].image)
        out[k] = pinned_image(ref, lock).ref if lock is not None else ref.ref
    return out
