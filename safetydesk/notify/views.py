"""Administrators edit the wording of the messages sent to parties, per template and language.

Each page shows the text in force (an administrator's override, the shipped default, or the
English default a language falls back to) and a preview rendered with sample values; saving and
resetting go through notify.actions, which check the template and audit the change.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetydesk.accounts.decorators import staff_required
from safetydesk.accounts.permissions import is_admin
from safetydesk.notify.actions import do_reset_notice_template, do_save_notice_template
from safetydesk.notify.forms import NoticeTemplateForm
from safetydesk.notify.models import NoticeTemplate
from safetydesk.notify.rendering import (
    FALLBACK_LANGUAGE,
    TEMPLATES,
    VARIABLES,
    TemplateKind,
    TemplateProblem,
    TemplateText,
    check_notice_template,
    default_text,
    render_text,
    team_context,
)

View = Callable[..., HttpResponse]


def admin_required(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_admin(request.user):
            raise PermissionDenied("Only administrators edit message templates.")
        return view(request, *args, **kwargs)

    return staff_required(wrapped)


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def _kind_and_language(key: str, language: str) -> tuple[TemplateKind, str]:
    if key not in TEMPLATES or language not in dict(settings.LANGUAGES):
        raise Http404("No such template")
    return TEMPLATES[key], language


def sample_context() -> dict[str, Any]:
    """The values a preview is rendered with (every variable, so every branch shows)."""
    now = timezone.now()
    return {
        **team_context(),
        "reference": f"{settings.CASE_REFERENCE_PREFIX}-{now:%Y}-000123",
        "received_at": f"{now:%Y-%m-%d %H:%M} UTC",
        "dsa_notice": True,
        "venue_url": "https://en.wikipedia.org/wiki/Wikipedia:Administrators%27_noticeboard",
    }


@dataclass(frozen=True)
class Cell:
    language: str
    source: str  # override, file, fallback
    override: NoticeTemplate | None


@admin_required
@require_GET
def template_list(request: HttpRequest) -> HttpResponse:
    overrides = {(t.key, t.language): t for t in NoticeTemplate.objects.select_related("updated_by")}
    rows = []
    for kind in TEMPLATES.values():
        cells = []
        for code, _name in _languages():
            override = overrides.get((kind.key, code))
            if override is not None:
                source = "override"
            elif default_text(kind.key, code) is not None:
                source = "file"
            else:
                source = "fallback"
            cells.append(Cell(code, source, override))
        rows.append({"kind": kind, "cells": cells})
    return render(
        request, "notify/console/templates.html", {"nav": "templates", "rows": rows, "languages": _languages()}
    )


def _text_in_force(key: str, language: str) -> tuple[TemplateText, str]:
    override = NoticeTemplate.objects.filter(key=key, language=language).first()
    if override is not None:
        return TemplateText(override.subject, override.body, "override"), language
    text = default_text(key, language)
    if text is not None:
        return text, language
    english = default_text(key, FALLBACK_LANGUAGE)
    assert english is not None, f"{key} has no English default"
    return english, FALLBACK_LANGUAGE


@admin_required
@require_http_methods(["GET", "POST"])
def template_edit(request: HttpRequest, key: str, language: str) -> HttpResponse:
    kind, language = _kind_and_language(key, language)
    current, current_language = _text_in_force(key, language)
    status = 200
    problem = ""
    if request.method == "POST":
        form = NoticeTemplateForm(request.POST)
        if form.is_valid():
            subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
            try:
                if "preview" in request.POST:
                    check_notice_template(subject, body)
                else:
                    do_save_notice_template(
                        acting_user=request.user, key=key, language=language, subject=subject, body=body
                    )
                    messages.success(request, _("Saved. New messages use this wording."))
                    return redirect(reverse("notify:template_edit", args=[key, language]))
            except TemplateProblem as error:
                problem = str(error)
                status = 400
            shown = TemplateText(subject, body.replace("\r\n", "\n"), "draft")
        else:
            status = 400
            shown = current
    else:
        form = NoticeTemplateForm(initial={"subject": current.subject, "body": current.body})
        shown = current
    preview = None
    if not problem and (request.method == "GET" or form.is_valid()):
        subject, body = render_text(shown, sample_context())
        preview = {"subject": subject, "body": body}
    default = default_text(key, language)
    return render(
        request,
        "notify/console/template_edit.html",
        {
            "nav": "templates",
            "kind": kind,
            "language": language,
            "language_name": dict(_languages())[language],
            "current_source": current.source,
            "current_language": current_language,
            "has_default": default is not None,
            "form": form,
            "problem": problem,
            "refusal": problem,
            "preview": preview,
            "variables": VARIABLES.items(),
        },
        status=status,
    )


@admin_required
@require_POST
def template_reset(request: HttpRequest, key: str, language: str) -> HttpResponse:
    _kind_and_language(key, language)
    if do_reset_notice_template(acting_user=request.user, key=key, language=language):
        messages.success(request, _("The override was removed: the default wording is used again."))
    else:
        messages.info(request, _("There was no override to remove."))
    return redirect(reverse("notify:template_edit", args=[key, language]))
