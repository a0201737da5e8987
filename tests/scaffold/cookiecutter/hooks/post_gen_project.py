"""cookiecutter post-generation hook: write the new project's Dockerfile with dockgen.

cookiecutter runs this with its own Python interpreter, inside the generated project. The template
puts its answers in dockgen.toml, so `dockgen init` and `dockgen check` reproduce the same files.
"""

import sys

try:
    import dockgen
except ImportError:
    sys.exit("dockgen is not installed next to cookiecutter: pip install dockgen-cli")

try:
    result = dockgen.generate(".")
except dockgen.DockgenError as exc:
    sys.exit(f"dockgen: {exc}")

for f in result.files:
    print(f"dockgen: {f.status} {f.path}")
for warning in result.warnings:
    print(f"dockgen: warning: {warning}")
