import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.roles import CASEWORK_ROLES, EVENT_BAN_READERS, READ_ONLY_ROLES

# Role names never contain it (accounts.roles); it joins them in role_names().
ROLE_SEPARATOR = "\n"


class User(AbstractUser):
    """A Safetydesk login: staff, or a volunteer with a narrow role (CRC member)."""

    display_name = models.CharField(max_length=150, blank=True)
    # ISO 639-1 codes the person reads; used to suggest assignees for cases in that language.
    languages = models.JSONField(default=list, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    failed_logins = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.is_active:
            return frozenset()
        return frozenset(self.groups.values_list("name", flat=True))

    def prime_roles(self, names: str | None) -> None:
        """Fill `roles` from `role_names()` read in the same query as the user: one query
        instead of two on paths that run on every request (API tokens)."""
        roles = frozenset(filter(None, (names or "").split(ROLE_SEPARATOR)))
        self.__dict__["roles"] = roles if self.is_active else frozenset()

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_casework_staff(self) -> bool:
        return bool(self.roles & CASEWORK_ROLES)

    @property
    def can_read_internal(self) -> bool:
        return bool(self.roles & (CASEWORK_ROLES | READ_ONLY_ROLES))

    @property
    def can_read_event_bans(self) -> bool:
        return bool(self.roles & EVENT_BAN_READERS)

    @property
    def is_locked(self) -> bool:
        return self.locked_until is not None and self.locked_until > timezone.now()


def hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a plain SHA-256 is enough (no salt or stretching).
    return hashlib.sha256(raw.encode()).hexdigest()


def role_names(user_id: OuterRef) -> Subquery:
    """The role names of the user `user_id` refers to, joined by ROLE_SEPARATOR, as a subquery to
    annotate a query that reads the user (then User.prime_roles)."""
    memberships = User.groups.through.objects.filter(user_id=user_id)
    return Subquery(
        memberships.values("user_id")
        .annotate(names=StringAgg("group__name", Value(ROLE_SEPARATOR)))
        .values("names")[:1]  # type: ignore[misc]  # django-stubs does not see the annotation
    )


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the token is shown once at creation."""

    PREFIX = "sdt_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # First characters of the token, shown so the owner can tell tokens apart.
    hint = models.CharField(max_length=12)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def generate(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)
