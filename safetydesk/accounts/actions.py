"""State changes for accounts: logins, lockout, second factors, sudo, API tokens, staff users.

Each `do_*` function runs in one transaction together with the audit row it writes
(ARCHITECTURE §6). None of them makes a network call. Audit rows carry identifiers and
reasons only: never a password, a TOTP code, a token or a token hash.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safetydesk.accounts.models import ApiToken, User, hash_token
from safetydesk.accounts.roles import Role
from safetydesk.accounts.sudo import grant_sudo
from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.http import client_ip


class AccountLockedError(Exception):
    """The account is locked after too many failed attempts; nothing was changed."""


class InvalidCodeError(Exception):
    """The TOTP code did not match the device; nothing was changed."""


class UnknownRoleError(ValueError):
    def __init__(self, unknown: Iterable[str]) -> None:
        self.unknown = sorted(unknown)
        super().__init__(f"unknown role(s): {', '.join(self.unknown)}")


def _not_locked_q() -> Q:
    return Q(locked_until__isnull=True) | Q(locked_until__lte=timezone.now())


# --- Logins and lockout ---------------------------------------------------------------------


def do_record_login_failure(
    *, acting_user: User | None, reason: str, step: str = "login", ip_address: str | None = None
) -> bool:
    """Count one failed attempt (wrong password or wrong code) and lock the account at the limit.

    `acting_user` is the account the attempt named, or None when no such username exists.
    Attempts against an account that is already locked are audited but not counted, so the
    lock does not grow while it lasts. The counter is incremented in the database (F()), so
    concurrent attempts are all counted; the lock is taken by a conditional update, so exactly
    one of several concurrent attempts writes the ACCOUNT_LOCKED row. Returns whether the
    account is locked now.
    """
    data = {"reason": reason, "step": step}
    with transaction.atomic(durable=True):
        if acting_user is None:
            record_audit(event_type=AuditEventType.LOGIN_FAILED, data=data, ip_address=ip_address)
            return False
        counted = User.objects.filter(_not_locked_q(), pk=acting_user.pk).update(failed_logins=F("failed_logins") + 1)
        if not counted:
            record_audit(
                event_type=AuditEventType.LOGIN_FAILED,
                actor=acting_user,
                subject=acting_user,
                data={**data, "reason": "locked", "attempt": reason},
                ip_address=ip_address,
            )
            return True
        # Reading the count back inside the transaction sees our own increment; on PostgreSQL the
        # row stays locked by the update above until commit, so no other attempt interleaves.
        failures = User.objects.values_list("failed_logins", flat=True).get(pk=acting_user.pk)
        record_audit(
            event_type=AuditEventType.LOGIN_FAILED,
            actor=acting_user,
            subject=acting_user,
            data={**data, "failed_logins": failures},
            ip_address=ip_address,
        )
        until = timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
        # The counter starts again from zero, so after the lock runs out the person gets the
        # full number of attempts again.
        locked = User.objects.filter(pk=acting_user.pk, failed_logins__gte=settings.LOGIN_LOCKOUT_ATTEMPTS).update(
            locked_until=until, failed_logins=0
        )
        if locked:
            record_audit(
                event_type=AuditEventType.ACCOUNT_LOCKED,
                actor=acting_user,
                subject=acting_user,
                data={"failed_logins": failures, "minutes": settings.LOGIN_LOCKOUT_MINUTES, "step": step},
                ip_address=ip_address,
            )
    acting_user.refresh_from_db(fields=["failed_logins", "locked_until"])
    return bool(locked)


def do_record_login_success(*, acting_user: User, method: str, ip_address: str | None = None) -> None:
    """Reset the failure counter and audit the login. Raises AccountLockedError, changing
    nothing, if the account was locked (or deactivated) in the meantime (the check and the reset are one
    conditional update, so a lock taken by a concurrent attempt wins)."""
    now = timezone.now()
    with transaction.atomic(durable=True):
        updated = User.objects.filter(_not_locked_q(), pk=acting_user.pk, is_active=True).update(
            failed_logins=0, locked_until=None, last_login=now
        )
        if not updated:
            raise AccountLockedError
        record_audit(
            event_type=AuditEventType.LOGIN_SUCCEEDED,
            actor=acting_user,
            subject=acting_user,
            data={"method": method},
            ip_address=ip_address,
        )
    acting_user.failed_logins = 0
    acting_user.locked_until = None
    acting_user.last_login = now


def do_record_logout(*, acting_user: User, ip_address: str | None = None) -> None:
    with transaction.atomic(durable=True):
        record_audit(event_type=AuditEventType.LOGOUT, actor=acting_user, subject=acting_user, ip_address=ip_address)


# --- TOTP devices ---------------------------------------------------------------------------


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def do_start_totp_enrollment(*, acting_user: User) -> TOTPDevice:
    """The unconfirmed device (and secret) this person is enrolling, made on first call.

    Reloading the enrollment page shows the same secret, so a half-finished scan still works.
    Nothing is audited until the device is confirmed.
    """
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.devices_for_user(acting_user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=acting_user, name="Authenticator app", confirmed=False)
    return device


def do_enroll_totp_device(
    *, acting_user: User, device: TOTPDevice, token: str, ip_address: str | None = None
) -> TOTPDevice:
    """Confirm `device` with a code from the authenticator app and make it the person's only
    device: any earlier device stops working in the same transaction. Raises InvalidCodeError
    if the code is wrong; then only the device's throttle counter has changed."""
    with transaction.atomic(durable=True):
        # Locked like django_otp.verify_token does, so one code cannot confirm twice.
        locked = TOTPDevice.objects.select_for_update().filter(pk=device.pk, user=acting_user, confirmed=False).first()
        verified = locked is not None and locked.verify_token(token)
        if locked is not None and verified:
            replaced = TOTPDevice.objects.filter(user=acting_user).exclude(pk=locked.pk).delete()[0]
            locked.confirmed = True
            locked.save(update_fields=["confirmed"])
            record_audit(
                event_type=AuditEventType.TOTP_ENROLLED,
                actor=acting_user,
                subject=acting_user,
                data={"device_id": locked.pk, "replaced_devices": replaced},
                ip_address=ip_address,
            )
    if locked is None or not verified:
        raise InvalidCodeError
    return locked


def do_reset_totp(*, acting_user: User | None, user: User, reason: str, via: str = "console") -> int:
    """Remove every TOTP device of `user` (a lost phone), so they enroll again at next sign-in.

    Any session that passed the second factor with an old device keeps working only until it
    needs a code again; sudo asks for a code from the new device. Returns devices removed."""
    reason = reason.strip()
    if not reason:
        raise ValueError("A reason is required to reset someone's second factor.")
    with transaction.atomic(durable=True):
        removed = TOTPDevice.objects.filter(user=user).delete()[0]
        record_audit(
            event_type=AuditEventType.TOTP_RESET,
            actor=acting_user,
            subject=user,
            data={"devices_removed": removed, "reason": reason[:500], "via": via},
        )
    return removed


# --- Sudo -----------------------------------------------------------------------------------


def do_grant_sudo(*, acting_user: User, request: HttpRequest, method: str) -> None:
    """Open sudo mode in this session for settings.SUDO_MINUTES, after a successful
    re-authentication; like a login, it resets the failure counter."""
    with transaction.atomic(durable=True):
        updated = User.objects.filter(_not_locked_q(), pk=acting_user.pk).update(failed_logins=0)
        if not updated:
            raise AccountLockedError
        record_audit(
            event_type=AuditEventType.SUDO_GRANTED,
            actor=acting_user,
            subject=acting_user,
            data={"method": method, "minutes": settings.SUDO_MINUTES},
            ip_address=client_ip(request),
        )
        grant_sudo(request)


# --- API tokens -----------------------------------------------------------------------------


def do_create_api_token(*, acting_user: User, name: str, ip_address: str | None = None) -> tuple[ApiToken, str]:
    """A new personal token for `acting_user`. Returns the row and the raw token; only the
    token's hash is stored, so the caller must show the raw token now or never."""
    raw = ApiToken.generate()
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=acting_user,
            name=name,
            hint=raw[: ApiToken._meta.get_field("hint").max_length],
            token_hash=hash_token(raw),
        )
        record_audit(
            event_type=AuditEventType.API_TOKEN_CREATED,
            actor=acting_user,
            subject=token,
            data={"name": name, "hint": token.hint},
            ip_address=ip_address,
        )
    return token, raw


def do_revoke_api_token(*, acting_user: User, token: ApiToken, ip_address: str | None = None) -> bool:
    """Revoke `token` (which the caller has checked belongs to `acting_user`). Returns False,
    writing nothing, if it was already revoked."""
    if token.user_id != acting_user.pk:
        raise PermissionError("people revoke only their own tokens")
    now = timezone.now()
    with transaction.atomic(durable=True):
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
        if revoked:
            record_audit(
                event_type=AuditEventType.API_TOKEN_REVOKED,
                actor=acting_user,
                subject=token,
                data={"name": token.name, "hint": token.hint},
                ip_address=ip_address,
            )
    if revoked:
        token.revoked_at = now
        from safetydesk.api.auth import forget_token

        forget_token(token.token_hash)
    return bool(revoked)


# --- Staff users ----------------------------------------------------------------------------


def check_roles(roles: Iterable[str]) -> list[str]:
    """The roles, deduplicated and sorted; raises UnknownRoleError naming any that do not exist."""
    wanted = set(roles)
    unknown = wanted - set(Role.values)
    if unknown:
        raise UnknownRoleError(unknown)
    return sorted(wanted)


def do_create_staff_user(
    *,
    acting_user: User | None,
    username: str,
    roles: Iterable[str],
    password: str,
    email: str = "",
    display_name: str = "",
    via: str = "console",
) -> User:
    """A new active account with these roles. `acting_user` is None when an operator runs a
    command on the server; `via` says where the change came from."""
    role_names = check_roles(roles)
    with transaction.atomic(durable=True):
        user = User.objects.create_user(username=username, password=password, email=email, display_name=display_name)
        user.groups.set(Group.objects.filter(name__in=role_names))
        record_audit(
            event_type=AuditEventType.USER_CREATED,
            actor=acting_user,
            subject=user,
            data={"username": username, "roles": role_names, "via": via},
        )
    return User.objects.get(pk=user.pk)  # fresh, so the cached roles are right


def do_change_roles(*, acting_user: User | None, user: User, roles: Iterable[str], via: str = "console") -> bool:
    """Give `user` exactly these roles. Returns False, writing nothing, if they already had them."""
    role_names = check_roles(roles)
    with transaction.atomic(durable=True):
        before = set(user.groups.values_list("name", flat=True))
        after = set(role_names)
        if before == after:
            return False
        user.groups.set(Group.objects.filter(name__in=role_names))
        record_audit(
            event_type=AuditEventType.ROLES_CHANGED,
            actor=acting_user,
            subject=user,
            data={"added": sorted(after - before), "removed": sorted(before - after), "via": via},
        )
    user.__dict__.pop("roles", None)  # the cached_property would still show the old roles
    return True


def do_change_profile(*, acting_user: User | None, user: User, email: str | None, display_name: str | None) -> None:
    """Change contact and display fields. Not audited: they grant no access, and the email
    address is personal data that the audit trail must not hold."""
    fields = []
    if email is not None:
        user.email = email
        fields.append("email")
    if display_name is not None:
        user.display_name = display_name
        fields.append("display_name")
    if fields:
        with transaction.atomic(durable=True):
            user.save(update_fields=fields)
