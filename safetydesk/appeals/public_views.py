"""The appeal form reached from the link in a notice (/appeal/<token>/): no login, no
JavaScript needed. The token ties the appeal to the decision and the person; a wrong, used or
expired link says so and what to do instead."""

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from safetydesk.appeals.actions import MAX_TEXT, AppealRefusal, do_file_appeal, open_link
from safetydesk.enforcement.models import ActionType


class AppealForm(forms.Form):
    grounds = forms.CharField(
        label=_("Why should the decision be reviewed?"), widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
        max_length=MAX_TEXT,
        help_text=_(
            "Say what you think was handled wrongly. The committee checks how the case was handled; "
            "it does not repeat the investigation."
        ),
    )  # fmt: skip
    new_evidence = forms.CharField(
        label=_("New evidence (optional)"), required=False, max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Anything the team did not have when it decided. Links to diffs or pages are best."),
    )  # fmt: skip
    email = forms.EmailField(
        label=_("Email address for our reply"), required=False, max_length=254,
        help_text=_("Leave empty to use the address we wrote to."),
    )  # fmt: skip


@never_cache
@require_http_methods(["GET", "POST"])
def appeal_form(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = open_link(token)
    except AppealRefusal as refusal:
        return render(request, "appeals/appeal_refused.html", {"problem": refusal.message}, status=410)
    # The form speaks the language the notice was written in, unless the person chose another.
    if link.party.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(link.party.language)
        request.LANGUAGE_CODE = translation.get_language()
    form = AppealForm(request.POST if request.method == "POST" else None)
    if not link.party.email:  # the notice went to a talk page: the reply needs an address
        form.fields["email"].required = True
        form.fields["email"].help_text = _("We have no email address for you: give one, or we cannot reply.")
    if request.method == "POST" and form.is_valid():
        try:
            appeal = do_file_appeal(token=token, language=get_language() or "en", **form.cleaned_data)
        except AppealRefusal as refusal:
            form.add_error(None, refusal.message)
        else:
            return render(request, "appeals/appeal_filed.html", {"reference": appeal.case.reference})
    action = link.office_action
    return render(request, "appeals/appeal_form.html", {
        "form": form, "action_label": dict(ActionType.choices).get(action.action_type, ""),
        "expires_at": link.expires_at,
    }, status=400 if form.errors else 200)  # fmt: skip
