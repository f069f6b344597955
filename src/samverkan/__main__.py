"""The `samverkan` console script: Django's management commands with the project's
settings. `samverkan demo`, `samverkan audit verify`, `samverkan token create <user>`,
and every standard command (`samverkan migrate`, `samverkan collectstatic`, ...)."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samverkan.config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["samverkan", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
