import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safetydesk.settings")
application = get_wsgi_application()


def _warm() -> None:
    """Work every worker would otherwise do on its first request, done once before gunicorn
    forks its workers (`serve` runs it with --preload), so they share it: the urgency rules,
    compiled (about a second). No database connection may be left open across the fork."""
    from django.db import connections

    from safetydesk.intake import urgency

    urgency.rules()
    connections.close_all()


_warm()
