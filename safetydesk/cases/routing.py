"""Where a case the Foundation does not take is routed (DOMAIN §15.3), and the canned replies.

The venues and replies are [P] defaults: a deployment may override `REPLY_TEMPLATES` keys'
wording through the notify templates without touching the workflow.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Venue(models.TextChoices):
    LOCAL_ADMINS = "local_admins", _("Local administrators / noticeboard")
    OVERSIGHT = "oversight", _("Oversight / stewards-oversight")
    STEWARDS = "stewards", _("Stewards / global sysops")
    ARBCOM = "arbcom", _("Arbitration Committee")
    U4C = "u4c", _("U4C (UCoC Coordinating Committee)")
    EVENT_ORGANISERS = "event_organisers", _("Event organisers (friendly-space process)")
    VRT = "vrt", _("Volunteer Response Team")
    OTHER = "other", _("Other community venue")


class ReplyTemplate(models.TextChoices):
    """The canned replies a reporter gets when their report is routed or declined."""

    DEFER_LOCAL = "defer_local", _("Deferred: use the local community process")
    DEFER_GLOBAL = "defer_global", _("Deferred: stewards or global venues")
    DEFER_U4C = "defer_u4c", _("Deferred: the U4C")
    DEFER_EVENT = "defer_event", _("Deferred: event organisers")
    NO_REPLY = "no_reply", _("No reply (reporter unreachable or anonymous)")


DEFER_REPLIES = tuple(
    (t.value, t.label) for t in ReplyTemplate if t.value.startswith("defer_") or t == ReplyTemplate.NO_REPLY
)
