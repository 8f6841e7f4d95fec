"""Console forms for the rota. Times are entered in a time zone (the responder's unless another
is chosen) and become aware datetimes; the actions store them in UTC."""

import datetime as dt
import zoneinfo
from functools import cache
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from safetydesk.accounts.models import User
from safetydesk.accounts.permissions import ONCALL_ELIGIBLE
from safetydesk.oncall.models import Level


def eligible_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True, groups__name__in=ONCALL_ELIGIBLE).distinct().order_by("username")


@cache
def zone_choices() -> list[tuple[str, Any]]:
    # The apostrophe is written as itself: xgettext does not decode "\u2019", so an escape never matches its msgid.
    own = _("The responder’s own time zone")  # noqa: RUF001 (typographic apostrophe, as in the catalogues)
    return [("", own)] + [(z, z) for z in sorted(zoneinfo.available_timezones())]


class PersonField(forms.ModelChoiceField):
    """A person on the rota. The blank choice is ours ("Choose…", translated in the catalogues):
    Django 6.1's own blank label is not translated in every staff language."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("Choose…"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj} ({obj.time_zone})"


LOCAL = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ShiftForm(forms.Form):
    user = PersonField(label=_("Responder"), queryset=User.objects.none())
    level = forms.TypedChoiceField(label=_("Level"), choices=Level.choices, coerce=int, initial=Level.PRIMARY)
    starts_at = forms.DateTimeField(label=_("Starts (local time)"), widget=LOCAL)
    ends_at = forms.DateTimeField(label=_("Ends (local time)"), widget=LOCAL)
    time_zone = forms.ChoiceField(label=_("Time zone of these times"), required=False, choices=())
    is_override = forms.BooleanField(
        label=_("Override"),
        required=False,
        help_text=_("Wins over the ordinary shifts of its level while it lasts (cover for an absence)."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible_people()  # type: ignore[attr-defined]
        self.fields["time_zone"].choices = zone_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user = data.get("user")
        zone_name = data.get("time_zone") or getattr(user, "time_zone", "") or "UTC"
        try:
            zone = zoneinfo.ZoneInfo(zone_name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            zone = zoneinfo.ZoneInfo("UTC")
            zone_name = "UTC"
        data["time_zone"] = zone_name
        for name in ("starts_at", "ends_at"):
            value = data.get(name)
            if isinstance(value, dt.datetime):
                # The form field made it aware in the viewer's zone; the digits are what count.
                data[name] = value.replace(tzinfo=None).replace(tzinfo=zone)
        return data


class HandOverForm(forms.Form):
    to_user = PersonField(label=_("Hand over to"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = eligible_people()  # type: ignore[attr-defined]


class FallbackForm(forms.Form):
    user = PersonField(label=_("Add to the fallback list"), queryset=User.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = eligible_people()  # type: ignore[attr-defined]
