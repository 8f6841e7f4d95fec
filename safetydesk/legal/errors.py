"""The legal workflows' refusals (nothing was written when one is raised)."""

from safetydesk.lib.errors import Refusal


class LegalRefusal(Refusal):
    code = "legal_refused"
    http_status = 422


class LegalNotPermitted(LegalRefusal):
    code = "legal_not_permitted"
    http_status = 403
