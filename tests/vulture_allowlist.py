# ruff: noqa
"""Names vulture cannot see used; read by the dead-code check, never imported or run.

The check (``.ci/run`` and tests/test_dead_code.py) is::

    vulture dockgen detectors generator tests/vulture_allowlist.py --min-confidence 60

Uses in tests do not count: a product function only tests call is dead (remove it, or test the
behaviour through the public path). Add a name here only when something outside Python's own
references uses it, and say what.
"""

# pydantic: the class setting every model reads.
_.model_config

# pydantic: validators and serializers run by the decorators, never called by name.
_._plain  # generator/models.py ImageRef
_._scratch  # generator/models.py ImageRef
_._digest  # generator/models.py ImageRef
_._line  # generator/models.py Comment
_._n  # generator/models.py Arg
_._cmd  # generator/models.py Run
_._stage_name  # generator/models.py Stage
_._c  # generator/models.py Stage
_._health  # generator/config.py ConfigFile
_._version_keywords  # generator/options.py Options
_._as_text  # detectors/facts.py Source and Unpinned (model_serializer)

# Jinja: templates/Dockerfile.j2 calls {{ stage.render_from() }} and reads {{ plan.build_lines }}.
_.render_from
_.build_lines

# typer: commands registered with @app.command(), and the signature typer reads.
_.init  # dockgen/cli.py
_.plan_cmd  # dockgen/cli.py
_.__signature__  # dockgen/cli_options.py

# Output fields: written to JSON by model_dump/asdict, read by users and the goldens.
_.requirements_pinned  # PythonFacts: `plan --json` facts, tests/golden/*/facts.json, state.json
_.main_file  # PythonFacts: `plan --json` facts, tests/golden/*/facts.json, state.json
_.deps_steps  # verify's --json report
_.number  # imagecheck.Step: the BuildKit vertex number the record is parsed from

# Used outside the three packages.
_.file_size_in  # dockgen/imagecheck.py: bench/run.py measures layer sizes with it
_.find_tooling  # dockgen/imagecheck.py: the e2e layer-content check and bench/floor.py
_.runtime_tools  # dockgen/imagecheck.py: the e2e layer-content check and bench/floor.py
_.node_dev_only  # dockgen/imagecheck.py: the e2e layer-content check

# generator/catalog.py (catalog.toml's schema; the catalog is being reworked in its own change).
_.slim  # RuntimeVersion: read as getattr(version, runner)
_.site_packages  # RuntimeVersion: in catalog.toml, read by nothing yet — for the catalog rework
