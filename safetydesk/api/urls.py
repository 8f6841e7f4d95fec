"""The HTTP API under /api/v1 (django-ninja); the schema is at /api/v1/openapi.json."""

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router

from safetydesk.api.auth import TokenAuth
from safetydesk.api.errors import JSONParser, register_error_handlers
from safetydesk.cases.api import router as cases_router
from safetydesk.intake.api import router as intake_router

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
            {"name": "intake", "description": "Reports in: the public report API and ReportIncident from the wikis."},
            {
                "name": "emergency",
                "description": (
                    "Threats of harm: triage, law-enforcement referrals, disclosures and Legal's "
                    "confirmation, investigations opened from an emergency, and the transparency counts."
                ),
            },
        ],
    },
)
register_error_handlers(api)
api.add_router("/cases", cases_router)
api.add_router("", intake_router)
api.add_router("/emergency", "safetydesk.emergency.api.router")

# Added last, so it only sees what no router above matched: an unknown address under /api/v1
# answers with the API's error envelope rather than Django's HTML page.
unmatched = Router()


@unmatched.api_operation(["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False)
def no_such_endpoint(request: HttpRequest, rest: str) -> None:
    raise Http404(rest)


api.add_router("", unmatched)
