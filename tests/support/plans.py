"""A small hand-built BuildPlan for tests that must not depend on any ecosystem."""

from __future__ import annotations

from dockgen.generator import models as m


def sample_plan(**overrides) -> m.BuildPlan:
    build = m.Stage(
        name="build",
        image=m.ImageRef(name="golang", tag="1.25-bookworm"),
        comment="build stage",
        instructions=(
            m.Workdir(path="/src"),
            m.Copy(sources=("go.mod", "go.sum"), dest="./"),
            m.Run(command="go mod download", mounts=(m.cache_mount("/go/pkg/mod"),), step="deps"),
            m.Copy(sources=(".",), dest="."),
            m.Run(command='CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .',
                  mounts=(m.cache_mount("/go/pkg/mod"), m.cache_mount("/root/.cache/go-build"))),
        ),
    )
    run = m.Stage(
        name=None,
        image=m.ImageRef(name="gcr.io/distroless/static-debian12", tag="nonroot"),
        instructions=(
            m.Label(pairs=(("org.opencontainers.image.title", "demo"),)),
            m.Env(pairs=(("APP_ENV", "production"),)),
            m.Copy(sources=("/out/app",), dest="/app", from_stage="build"),
            m.User(uid=65532, gid=65532),
            m.Expose(port=8080),
            m.Comment(text="no HEALTHCHECK: the runner has no probe binary"),
            m.Entrypoint(argv=("/app",)),
        ),
    )
    fields = dict(ecosystem="go", runner="distroless", reasons=("go 1.25 (from go.mod)",),
                  stages=(build, run), ignore=(".git", ".env"), port=8080, user=65532)
    fields.update(overrides)
    return m.BuildPlan(**fields)
