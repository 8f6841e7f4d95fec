"""`GET /healthz`: is this web process up, and does it reach its database?

For load balancers, process supervisors and benchmarks/intake.py (whose baseline it is). It runs
one `SELECT 1` and answers 200 "ok" (text/plain), or 503 "database unavailable" when that fails.
It needs no login, reads no session and sets no cookie, so it costs what a request through the
middleware plus one round trip to the database costs, and tells nothing about the data.
"""

import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("safetydesk.health")


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: the database did not answer")
        return HttpResponse("database unavailable", status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
