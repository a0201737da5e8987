#!/usr/bin/env python
"""Django's command-line utility, at the root: the project itself lives in webapp/."""

import os
import sys

# Put webapp/ on the path: the project's modules (core, hello) are imported from there.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "webapp"))


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings.debug")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
