"""The HTTP API under /api/v1 (django-ninja); the schema is at /api/v1/openapi.json."""

from ninja import NinjaAPI

from safetydesk.api.auth import TokenAuth
from safetydesk.api.errors import JSONParser, register_error_handlers
from safetydesk.cases.api import router as cases_router

api = NinjaAPI(
    title="Safetydesk API",
    version="1",
    description=(
        "The staff API of Safetydesk. Authenticate with a personal API token "
        "(`Authorization: Bearer sdt_…`). Every refusal answers "
        '`{"error": {"code": …, "message": …, "details": {…}}}`; branch on `code`.'
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    parser=JSONParser(),
    openapi_extra={
        "tags": [
            {"name": "cases", "description": "The case queue, case files, and every change to a case."},
        ],
    },
)
register_error_handlers(api)
api.add_router("/cases", cases_router)
