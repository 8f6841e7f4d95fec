"""The emergency track's [P] defaults (DOMAIN §0.1: every [P] item is configurable).

Each is a Django setting of the same name; when settings.py does not set it, the default here
applies. Read them through these functions, so a test's override_settings is seen.
"""

import datetime as dt

from django.conf import settings

DEFAULTS = {
    # Legal confirms a disclosure to law enforcement within this many hours of it (DOMAIN §5.4 [P]).
    "EMERGENCY_DISCLOSURE_CONFIRM_HOURS": 24,
    # Until Legal confirms, they are reminded this often (hours).
    "EMERGENCY_DISCLOSURE_REMIND_HOURS": 4,
    # A functionary's disclosure reported more than this many days after it is late (DOMAIN §13.3).
    "FUNCTIONARY_REPORT_DAYS": 10,
}


def _get(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def legal_confirm_within() -> dt.timedelta:
    return dt.timedelta(hours=_get("EMERGENCY_DISCLOSURE_CONFIRM_HOURS"))


def legal_remind_every() -> dt.timedelta:
    return dt.timedelta(hours=_get("EMERGENCY_DISCLOSURE_REMIND_HOURS"))


def functionary_report_days() -> int:
    return _get("FUNCTIONARY_REPORT_DAYS")
