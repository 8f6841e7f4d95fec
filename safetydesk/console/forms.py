"""Forms that parse console input. They check shape only; the rules live in cases.actions and
the workflow definitions, whose refusals the views map back onto these forms."""

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.models import User
from safetydesk.accounts.roles import CASEWORK_ROLES
from safetydesk.cases.models import CaseKind, Priority
from safetydesk.cases.selectors import QueueFilters
from safetydesk.cases.workflow import Transition, all_workflows


def casework_staff() -> QuerySet[User]:
    """People a case can be assigned to, and whom the queue can be filtered by."""
    return (
        User.objects.filter(is_active=True, groups__name__in=CASEWORK_ROLES)
        .distinct()
        .order_by("display_name", "username")
    )


def state_choices() -> list[tuple[str, str]]:
    """Every state of every registered workflow, once, in workflow order."""
    seen: dict[str, str] = {}
    for workflow in all_workflows():
        for state in workflow.states:
            seen.setdefault(state.name, str(state.label))
    return list(seen.items())


class ConsoleForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # labels sit above their controls: no colon
        super().__init__(*args, **kwargs)


STATUS_CHOICES = [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]


class QueueFilterForm(ConsoleForm):
    """The queue's GET filters. Invalid values are dropped one by one, never the whole filter."""

    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    assignee = forms.ChoiceField(label=_("Lead"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        fields: Any = self.fields
        fields["priority"].choices = anything + [(p.value, p.label) for p in Priority]
        fields["kind"].choices = anything + list(CaseKind.choices)
        fields["state"].choices = anything + state_choices()
        fields["language"].choices = anything + [(code, f"{name} ({code})") for code, name in settings.LANGUAGES]
        fields["assignee"].choices = [
            *anything,
            ("me", _("Me")),
            ("none", _("Unassigned")),
            (_("People"), [(str(person.pk), str(person)) for person in staff]),
        ]

    def filters(self) -> QueueFilters:
        """The filters that validated; a bad value (an old bookmark) is ignored, not fatal."""
        self.is_valid()
        data = self.cleaned_data
        return QueueFilters(
            kind=data.get("kind") or "",
            state=data.get("state") or "",
            priority=data.get("priority") or "",
            language=data.get("language") or "",
            assignee=data.get("assignee") or "",
            overdue=bool(data.get("overdue")),
            status=data.get("status") or "open",
        )

    def page_number(self) -> int:
        self.is_valid()
        return self.cleaned_data.get("page") or 1


class VersionedForm(ConsoleForm):
    """Carries the case version the page was rendered with (the stale-form check)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["version"].error_messages["required"] = _(
            "This form did not say which version of the case it was filled in on. "
            "Reload the case and try again."
        )


class TransitionForm(VersionedForm):
    """The fields a workflow transition asks for, as form controls.

    Every field is optional here: the workflow's Field.clean() decides what is required and
    valid, and the view puts its messages on these fields. The browser still gets `required`.
    """

    def __init__(self, *args: Any, transition: Transition, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", None)
        kwargs.setdefault("auto_id", f"id_{transition.name}_%s")
        super().__init__(*args, **kwargs)
        self.transition = transition
        for spec in transition.fields:
            attrs = {"required": True} if spec.required else {}
            field: forms.Field
            if spec.kind == "choice":
                field = forms.ChoiceField(
                    choices=[("", _("Choose…")), *spec.choices], widget=forms.Select(attrs=attrs)
                )
            elif spec.kind == "textarea":
                field = forms.CharField(widget=forms.Textarea(attrs={**attrs, "rows": 4}), strip=False)
            elif spec.kind == "url":
                field = forms.CharField(
                    widget=forms.URLInput(attrs={**attrs, "placeholder": "https://"}), max_length=500
                )
            else:
                field = forms.CharField(widget=forms.TextInput(attrs=attrs), max_length=500)
            field.required = False
            field.label = spec.label
            field.help_text = spec.help_text
            self.fields[spec.name] = field

    def data_for_action(self) -> dict[str, Any]:
        return {spec.name: self.cleaned_data.get(spec.name, "") for spec in self.transition.fields}


class NoteForm(VersionedForm):
    body = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=50_000,
        help_text=_("Staff only: never shown to reporters or subjects."),
    )


class AssignForm(VersionedForm):
    lead = forms.ModelChoiceField(
        label=_("Lead"), queryset=User.objects.none(), required=False, empty_label=_("No lead")
    )
    assistants = forms.ModelMultipleChoiceField(
        label=_("Assistants"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Hold Ctrl (⌘ on a Mac) to pick more than one."),
    )

    def __init__(self, *args: Any, staff: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["lead"].queryset = staff
        fields["assistants"].queryset = staff


class MemberForm(VersionedForm):
    member = forms.ModelChoiceField(label=_("Name a member"), queryset=User.objects.none())

    def __init__(self, *args: Any, candidates: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["member"].queryset = candidates


class SearchForm(ConsoleForm):
    q = forms.CharField(label=_("Search cases"), max_length=200, required=False)
