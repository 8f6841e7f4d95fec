"""Forms for signing in, re-authenticating, enrolling TOTP and managing tokens.

These forms only parse input; deciding whether a password or code is right, and counting
failures, happens in the views through safetydesk.accounts.actions.
"""

from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

# One message for every way a sign-in can fail (unknown username, wrong password, locked or
# deactivated account), so the page never tells a stranger which usernames exist or whether a
# guessed password was right while the account is locked.
LOGIN_FAILED_MESSAGE = _(
    "That username and password did not match. After several failed attempts an account is "
    "locked for a while; if that has happened, try again later."
)


class CodeField(forms.CharField):
    """A 6-digit code from an authenticator app. Spaces are allowed and ignored."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("6-digit code from your authenticator app"))
        kwargs.setdefault("max_length", 12)
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "pattern": r"[0-9 ]*",
                    "size": 8,
                    "class": "code",
                }
            ),
        )
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(r"^[0-9]{6}$", _("Enter the 6 digits your app shows.")))

    def to_python(self, value: Any) -> str:
        return "".join(str(super().to_python(value)).split())


class NextField(forms.CharField):
    """Where to go afterwards. Views still check it is on this site before redirecting."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, widget=forms.HiddenInput, max_length=2000, **kwargs)


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    next = NextField()


class CodeForm(forms.Form):
    code = CodeField()
    next = NextField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True


class SudoForm(forms.Form):
    """Re-authentication: the password, and a code when the person has a TOTP device."""

    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    code = CodeField()
    next = NextField()

    def __init__(self, *args: Any, needs_code: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_code:
            del self.fields["code"]


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “wiki bot” or “weekly report script”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name, so someone who cannot read the current one can still
    # find theirs.
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)
