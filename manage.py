#!/usr/bin/env python
"""Django's manage.py, for habit; `safetydesk` is the same command."""

from safetydesk.cli import main

if __name__ == "__main__":
    main()
