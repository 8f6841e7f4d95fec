"""The wiki farm: each wiki Safetydesk acts on, and the bot password it acts with."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetydesk.lib.crypto import EncryptedTextField


class Wiki(models.Model):
    # A short name staff use (enwiki, commons, devwiki): in commands, logs and the console.
    name = models.SlugField(_("name"), max_length=64, unique=True)
    api_url = models.URLField(_("API URL"), max_length=500)
    # The bot password's login name, `Account@AppId` (Special:BotPasswords).
    bot_user = models.CharField(_("bot user"), max_length=255)
    bot_password = EncryptedTextField(_("bot password"))
    # What the last check found (INTEROP §4.1): a global ban becomes a global lock only where
    # CentralAuth runs, and a global block needs GlobalBlocking.
    has_centralauth = models.BooleanField(_("has CentralAuth"), default=False)
    has_globalblocking = models.BooleanField(_("has GlobalBlocking"), default=False)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)
    # {"ok": bool, "error": str, "account": str, "groups": [...], "rights": [...], "generator": str,
    #  "missing_rights": [...]}: what `wiki check` saw, for the console and `wiki list`.
    last_check = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
