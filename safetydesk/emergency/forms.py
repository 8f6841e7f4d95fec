"""Forms of the Emergency panel. They parse shape only; the actions decide what is valid and
their refusals are put back on these fields (InvalidData details name them)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from safetydesk.cases.models import AgeFlag
from safetydesk.console.forms import ConsoleForm, VersionedForm
from safetydesk.emergency.actions import (
    DisclosureData,
    FunctionaryReportData,
    LocationData,
    ReferralData,
    TriageData,
)
from safetydesk.emergency.models import (
    EMERGENCY_DISCLOSURE_KINDS,
    Confidence,
    DataElement,
    DisclosureException,
    FunctionaryRole,
    LegalBasis,
    ReferralMethod,
    ThreatTarget,
    ThreatType,
    TriageDecision,
)

CHOOSE = [("", _("Choose…"))]
TEXTAREA = {"rows": 3}


def _text(label: Any, *, required: bool = False, long: bool = False, help_text: Any = "") -> forms.CharField:
    widget = forms.Textarea(attrs=TEXTAREA) if long else forms.TextInput()
    return forms.CharField(label=label, required=required, widget=widget, help_text=help_text, max_length=10_000)


def _choice(label: Any, choices: Any, *, initial: str = "") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[*CHOOSE, *choices], required=False, initial=initial)


def _when(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        help_text=help_text or _("In your time zone. Leave empty for now."),
    )


class PanelForm(VersionedForm):
    """Each form of the panel gets its own id prefix, so several can sit on one page."""

    form_name = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{self.form_name}_%s")
        super().__init__(*args, **kwargs)


class TriageForm(PanelForm):
    form_name = "triage"
    threat_text = _text(_("The threat as written"), required=True, long=True)
    permalink = forms.CharField(
        label=_("Permalink or diff"),
        required=False,
        max_length=1000,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    threat_type = _choice(_("Threat type"), ThreatType.choices)
    target = _choice(_("Target"), ThreatTarget.choices)
    target_detail = _text(_("Who or what is threatened"))
    specificity_time = _text(_("When (time stated)"))
    specificity_place = _text(_("Where (place stated)"))
    specificity_means = _text(_("By what means"))
    capability = _text(_("Capability indicators"), long=True)
    location_country = forms.CharField(
        label=_("Probable country (two letters)"),
        required=False,
        max_length=2,
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
    )
    location_region = _text(_("Probable region"))
    location_city = _text(_("Probable city"))
    location_confidence = _choice(_("Location confidence"), Confidence.choices, initial=Confidence.UNKNOWN)
    subject_age_flag = _choice(_("Age of the person who made the threat"), AgeFlag.choices, initial=AgeFlag.UNKNOWN)
    decision = _choice(_("Decision"), TriageDecision.choices)
    decision_rationale = _text(_("Rationale"), required=True, long=True)

    def to_data(self) -> TriageData:
        return TriageData(**{name: self.cleaned_data.get(name) or "" for name in TriageData.__dataclass_fields__})


class LocationForm(PanelForm):
    form_name = "location"
    confidence = _choice(_("Confidence"), Confidence.choices)
    country = forms.CharField(label=_("Country (two letters)"), required=False, max_length=2)
    region = _text(_("Region"))
    city = _text(_("City"))
    source = _text(
        _("How it was found"), long=True, help_text=_("IP or geolocation via nonpublic data, the user's statements…")
    )

    def to_data(self) -> LocationData:
        return LocationData(**{name: self.cleaned_data.get(name) or "" for name in LocationData.__dataclass_fields__})


class ReferralForm(PanelForm):
    form_name = "referral"
    agency = _text(_("Agency"), required=True)
    jurisdiction = _text(_("Jurisdiction"), required=True)
    country = forms.CharField(label=_("Country (two letters)"), required=False, max_length=2)
    reference_number = _text(_("Their reference"))
    method = _choice(_("How"), ReferralMethod.choices)
    referred_at = _when(_("Referred at"))
    note = _text(_("Note"), long=True)

    def to_data(self) -> ReferralData:
        data = self.cleaned_data
        return ReferralData(
            agency=data["agency"],
            jurisdiction=data["jurisdiction"],
            method=data.get("method") or "",
            referred_at=data.get("referred_at"),
            country=data.get("country") or "",
            reference_number=data.get("reference_number") or "",
            note=data.get("note") or "",
        )


class AcknowledgementForm(PanelForm):
    form_name = "acknowledgement"
    referral = forms.IntegerField(widget=forms.HiddenInput)
    acknowledged_at = _when(_("Acknowledged at"))
    acknowledged_contact = _text(_("Who acknowledged"))
    acknowledgement_note = _text(_("What they said"), long=True)


class FollowUpForm(PanelForm):
    form_name = "follow_up"
    body = _text(_("Follow-up"), required=True, long=True)


class InvestigationForm(PanelForm):
    form_name = "investigation"
    title = forms.CharField(label=_("Title of the investigation"), max_length=200)
    reason = _text(_("Why investigate"), long=True)


class DisclosureForm(PanelForm):
    form_name = "disclosure"
    kind = forms.ChoiceField(
        label=_("Kind of disclosure"),
        choices=[*CHOOSE, *[(k.value, k.label) for k in EMERGENCY_DISCLOSURE_KINDS]],
        required=False,
    )
    produced = forms.BooleanField(
        label=_("Data was disclosed"),
        required=False,
        initial=True,
        help_text=_("Untick for an emergency request answered with nothing (declined, or no data held)."),
    )
    data_elements = forms.MultipleChoiceField(
        label=_("Data disclosed"), choices=DataElement.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    recipient_agency = _text(_("Recipient agency"), required=True)
    jurisdiction = _text(_("Jurisdiction"))
    country = forms.CharField(label=_("Country (two letters)"), required=False, max_length=2)
    legal_basis = _choice(_("Legal basis"), LegalBasis.choices)
    request_reference = _text(_("Their reference"))
    detail = _text(_("Detail"), long=True, help_text=_("What was sent, if it needs saying. Never the data itself."))
    disclosed_at = _when(_("Disclosed at"))

    def to_data(self) -> DisclosureData:
        data = self.cleaned_data
        return DisclosureData(
            kind=data.get("kind") or "",
            recipient_agency=data["recipient_agency"],
            legal_basis=data.get("legal_basis") or "",
            data_elements=tuple(data.get("data_elements") or ()),
            produced=bool(data.get("produced")),
            jurisdiction=data.get("jurisdiction") or "",
            country=data.get("country") or "",
            request_reference=data.get("request_reference") or "",
            detail=data.get("detail") or "",
            disclosed_at=data.get("disclosed_at"),
        )


class ConfirmDisclosureForm(ConsoleForm):
    disclosure = forms.IntegerField(widget=forms.HiddenInput)
    legal_note = _text(_("Note (optional)"), long=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_confirm_%s")
        super().__init__(*args, **kwargs)


class FunctionaryReportForm(PanelForm):
    form_name = "functionary"
    functionary = _text(_("Functionary (username)"), required=True)
    functionary_role = _choice(_("Role"), FunctionaryRole.choices)
    disclosed_to = _text(_("Disclosed to"), required=True)
    disclosed_on = forms.DateField(label=_("Date of disclosure"), widget=forms.DateInput(attrs={"type": "date"}))
    reported_on = forms.DateField(
        label=_("Date reported"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for the day the report arrived."),
    )
    exception = _choice(_("Exception relied on"), DisclosureException.choices)
    data_disclosed = _text(_("Data disclosed"), required=True, long=True)
    related_case = forms.CharField(
        label=_("Emergency case (reference)"),
        required=False,
        max_length=32,
        help_text=_("The emergency this disclosure was about, if any."),
    )

    def to_data(self, related_case: Any) -> FunctionaryReportData:
        data = self.cleaned_data
        return FunctionaryReportData(
            functionary=data["functionary"],
            functionary_role=data.get("functionary_role") or "",
            disclosed_to=data["disclosed_to"],
            disclosed_on=data["disclosed_on"],
            exception=data.get("exception") or "",
            data_disclosed=data["data_disclosed"],
            reported_on=data.get("reported_on"),
            related_case=related_case,
        )


class PeriodForm(ConsoleForm):
    start = forms.DateField(label=pgettext_lazy("date range", "From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To (inclusive)"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                self.add_error("end", _("The end comes before the start."))
            elif (end - start).days > 3660:
                self.add_error("end", _("Ask for ten years at most."))
        return data
