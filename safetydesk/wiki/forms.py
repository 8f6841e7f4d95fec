"""The console form of the wiki farm registry."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safetydesk.console.forms import ConsoleForm


class WikiForm(ConsoleForm):
    name = forms.CharField(label=_("Name"), max_length=64, help_text=_("Lower-case, e.g. enwiki or meta."))
    api_url = forms.CharField(
        label=_("API address"), max_length=500, help_text=_("e.g. https://en.wikipedia.org/w/api.php")
    )
    bot_user = forms.CharField(
        label=_("Bot user"), max_length=255, help_text=_("Account@AppId, from Special:BotPasswords.")
    )
    bot_password = forms.CharField(
        label=_("Bot password"), max_length=255, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted and never shown again."),
    )
    replace = forms.BooleanField(label=_("Replace the wiki of this name"), required=False)
