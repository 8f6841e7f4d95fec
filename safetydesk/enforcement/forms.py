"""Console forms of the event-ban list (enforcement.event_bans)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from safetydesk.console.forms import ConsoleForm


class EventForm(ConsoleForm):
    name = forms.CharField(label=_("Event"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    by_affiliate = forms.BooleanField(label=_("Run by a movement affiliate"), required=False)


class ShareForm(ConsoleForm):
    organisers = forms.CharField(
        label=_("Organisers who may see the list"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Names and email addresses, one a line."),
    )
    agreement = forms.CharField(
        label=_("NDA or grant agreement"),
        max_length=2000,
        help_text=_("The reference of the signed NDA, or of the grant agreement whose terms bind them."),
    )


class EntryForm(ConsoleForm):
    names = forms.CharField(label=_("Names"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    aliases = forms.CharField(label=_("Known aliases"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CodeForm(ConsoleForm):
    code = forms.CharField(
        label=_("Access code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs["autofocus"] = True
