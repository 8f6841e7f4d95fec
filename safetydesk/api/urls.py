"""The HTTP API under /api/v1 (django-ninja); the schema is at /api/v1/openapi.json."""

from ninja import NinjaAPI

api = NinjaAPI(title="Safetydesk API", version="1", urls_namespace="api")
