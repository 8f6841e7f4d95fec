"""The `safetydesk` command.

`safetydesk COMMAND [ARGS]` runs the Django management command of that name with Safetydesk's
settings: `serve`, `worker`, `migrate`, `createstaff`, `demo`, `audit verify`, `keys rotate`,
and Django's own. `safetydesk help` lists them; `safetydesk COMMAND --help` explains one.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetydesk.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "safetydesk"
    if len(args) == 1 or args[1] in {"-h", "--help"}:
        args = ["safetydesk", "help"]
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
