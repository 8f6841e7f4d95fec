"""Staff roles (ARCHITECTURE §7, DOMAIN §2.1). Roles are Django groups, named by these values.

The values are stable: data migrations and saved permissions refer to them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SPECIALIST = "specialist", _("T&S specialist")
    MANAGER = "manager", _("T&S manager")
    DIRECTOR = "director", _("T&S director")
    DEPT_CHIEF = "dept_chief", _("Department chief")
    LEGAL_COUNSEL = "legal_counsel", _("Legal counsel")
    COMMS = "comms", _("Communications")
    EXECUTIVE = "executive", _("Executive director")
    ONCALL = "oncall", _("On-call responder")
    DISINFO_ANALYST = "disinfo_analyst", _("Disinformation analyst")
    CRC_MEMBER = "crc_member", _("Case Review Committee member")
    AUDITOR = "auditor", _("Auditor (read-only)")
    # A clearance, not a job: may open child-safety cases and items without being named on them.
    CHILD_SAFETY = "child_safety", _("Child-safety clearance")
    ADMINISTRATOR = "administrator", _("Administrator")


# Staff who work cases day to day and may see internal case files.
CASEWORK_ROLES = frozenset(
    {
        Role.SPECIALIST,
        Role.MANAGER,
        Role.DIRECTOR,
        Role.DEPT_CHIEF,
        Role.LEGAL_COUNSEL,
        Role.COMMS,
        Role.EXECUTIVE,
        Role.ONCALL,
        Role.DISINFO_ANALYST,
    }
)
# May read every internal file but change nothing.
READ_ONLY_ROLES = frozenset({Role.AUDITOR})
# May name other people as members of a case they can see (restricted files).
MEMBERSHIP_GRANTORS = frozenset({Role.MANAGER, Role.DIRECTOR})
# May read the restricted event-ban list (DOMAIN §8.2), and may keep it.
EVENT_BAN_READERS = frozenset(
    {Role.SPECIALIST, Role.MANAGER, Role.DIRECTOR, Role.DEPT_CHIEF, Role.LEGAL_COUNSEL, Role.EXECUTIVE}
)
EVENT_BAN_KEEPERS = frozenset({Role.SPECIALIST, Role.MANAGER, Role.DIRECTOR})
# May sign off a lock for ban evasion (DOMAIN §7.3).
EVASION_DECIDERS = frozenset({Role.MANAGER, Role.DIRECTOR})
# May open legal-privileged cases without being named on them.
PRIVILEGED_READERS = frozenset({Role.LEGAL_COUNSEL, Role.DIRECTOR})
