"""The staff console (STYLE: views parse with a form, call access_*, call one action, then
redirect or render). Rules live in cases.actions and the workflow definitions; what a refused
change says comes from the CaseError the action raised."""

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetydesk.accounts.decorators import staff_required as accounts_staff_required
from safetydesk.accounts.models import User
from safetydesk.accounts.permissions import access_case, can_sit_on_panels, can_work_case
from safetydesk.accounts.roles import MEMBERSHIP_GRANTORS
from safetydesk.accounts.sudo import has_sudo, sudo_redirect
from safetydesk.cases import selectors
from safetydesk.cases.actions import do_add_case_member, do_add_note, do_assign_case, do_transition
from safetydesk.cases.errors import CaseError, InvalidData, StaleCase
from safetydesk.cases.models import Case, Confidentiality
from safetydesk.cases.routing import Venue
from safetydesk.cases.workflow import Option, Transition, evaluate, workflow_for
from safetydesk.console.forms import (
    AssignForm,
    MemberForm,
    NoteForm,
    QueueFilterForm,
    SearchForm,
    TransitionForm,
    VersionedForm,
    casework_staff,
)
from safetydesk.console.presenters import case_clocks, state_label, timeline
from safetydesk.enforcement.selectors import ban_reviews_due, needing_attention
from safetydesk.lib.http import client_ip

View = Callable[..., HttpResponse]


def staff_required(view: View) -> View:
    """accounts' staff_required (logged in, TOTP-verified, some role), and a role that may read
    internal case files: a CRC member or an administrator has a role but no business here (a
    committee member is sent to their panels, the only files they read)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _user(request).can_read_internal:
            if can_sit_on_panels(request.user) and request.method == "GET":
                return redirect("crc:panels")
            return render(request, "console/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return accounts_staff_required(wrapped)


def _user(request: HttpRequest) -> User:
    """The signed-in staff member (every view here is behind staff_required)."""
    return cast(User, request.user)



def _case_url(case: Case) -> str:
    return reverse("console:case", args=[case.reference])


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    board = selectors.dashboard(request.user)
    context = {
        "nav": "dashboard",
        "board": board,
        "attention": needing_attention(request.user),
        "ban_reviews": ban_reviews_due(request.user),
    }
    return render(request, "console/dashboard.html", context)


@staff_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    staff = list(casework_staff())
    params = request.GET.copy()
    params.setdefault("status", "open")  # so the form shows the default it applies
    form = QueueFilterForm(params, staff=staff)
    filters = form.filters()
    page = form.page_number()
    cases, has_next = selectors.page_of(selectors.queue(request.user, filters), page, settings.QUEUE_PAGE_SIZE)
    return render(
        request,
        "console/queue.html",
        {
            "nav": "queue",
            "form": form,
            "filters": filters,
            "cases": cases,
            "page": page,
            "has_next": has_next,
            "first_row": (page - 1) * settings.QUEUE_PAGE_SIZE + 1,
            "last_row": (page - 1) * settings.QUEUE_PAGE_SIZE + len(cases),
        },
    )


@staff_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = selectors.search(request.user, query) if query else []
    if len(results) == 1 and _names_reference(query, results[0]):
        return redirect(_case_url(results[0]))
    return render(
        request, "console/search.html", {"form": form, "search_query": query, "results": results, "nav": "search"}
    )


def _names_reference(query: str, case: Case) -> bool:
    """Whether the query was the case's reference (or just its number), not words of its title."""
    query = query.lower()
    return query == case.reference.lower() or (query.isdigit() and case.reference.endswith("-" + query.zfill(6)))


# --- The case page ----------------------------------------------------------------------------


def _render_case(
    request: HttpRequest,
    case: Case,
    *,
    status: int = 200,
    refusal: str = "",
    note_form: NoteForm | None = None,
    assign_form: AssignForm | None = None,
    member_form: MemberForm | None = None,
) -> HttpResponse:
    case = selectors.case_detail(case)
    can_work = can_work_case(request.user, case)
    actions: list[dict[str, Any]] = []
    if can_work:
        for option in evaluate(case, _user(request)):
            form = None
            if option.allowed and option.transition.fields and not option.transition.sensitive:
                form = TransitionForm(transition=option.transition, initial={"version": case.version})
            actions.append({"option": option, "form": form})
    staff = casework_staff()
    if can_work and assign_form is None:
        assign_form = AssignForm(
            staff=staff,
            initial={
                "lead": case.lead_id,
                "assistants": [a.pk for a in case.assistants.all()],
                "version": case.version,
            },
        )
    members = list(case.members.all())
    may_name = can_work and (bool(_user(request).roles & MEMBERSHIP_GRANTORS) or case.lead_id == request.user.pk)
    if may_name and member_form is None:
        member_form = MemberForm(
            candidates=staff.exclude(pk__in=[m.pk for m in members]), initial={"version": case.version}
        )
    context = {
        "nav": "case",
        "case": case,
        "state_label": state_label(case.kind, case.state),
        "can_work": can_work,
        "actions": actions,
        "clocks": case_clocks(case, timezone.now()),
        "timeline": timeline(case, case.events.all()),
        "notes": list(case.notes.all()),
        "parties": list(case.parties.all()),
        "evidence": list(case.evidence.all()),
        "assistants": list(case.assistants.all()),
        "no_media": case.confidentiality == Confidentiality.CHILD_SAFETY,
        "routed_to_label": dict(Venue.choices).get(case.routed_to, case.routed_to),
        "note_form": (note_form or NoteForm(initial={"version": case.version})) if can_work else None,
        "assign_form": assign_form if can_work else None,
        "members": members,
        "member_form": member_form if may_name else None,
        "refusal": refusal,
    }
    return render(request, "console/case.html", context, status=status)


@staff_required
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    return _render_case(request, case)


def _form_refusal(form: VersionedForm, fallback: str) -> str:
    """What to say about a form that did not parse. A missing version is a hidden field the
    person cannot fix in the form, so it is said out loud."""
    return " ".join(str(e) for e in form.errors.get("version", [])) or fallback


def _refusal_text(error: CaseError) -> str:
    if isinstance(error, StaleCase):
        return _(
            "Someone else changed this case while you had it open. The page now shows the case as "
            "it is: check it, then try again if it still makes sense."
        )
    return error.message


def _render_transition_page(
    request: HttpRequest, case: Case, option: Option | None, form: TransitionForm | None, *, status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    return render(
        request,
        "console/case_transition.html",
        {
            "nav": "case",
            "case": case,
            "state_label": state_label(case.kind, case.state),
            "option": option,
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


@staff_required
@require_http_methods(["GET", "POST"])
def case_transition(request: HttpRequest, reference: str, name: str) -> HttpResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    step: Transition | None = workflow_for(case.kind).transition(name)
    if request.method == "GET":
        return _transition_form_page(request, case, step)

    if step is not None and step.sensitive and not has_sudo(request):
        return sudo_redirect(request, next_url=_case_url(case))
    form: VersionedForm = TransitionForm(request.POST, transition=step) if step else VersionedForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, status=400, refusal=_form_refusal(form, _("The form was incomplete.")))
    data = form.data_for_action() if isinstance(form, TransitionForm) else {}
    try:
        case = do_transition(
            case=case,
            transition=name,
            acting_user=request.user,
            data=data,
            expected_version=form.cleaned_data["version"],
        )
    except CaseError as error:
        return _transition_refused(request, case, step, form, error)
    done = {"action": step.label if step else name, "reference": case.reference}
    done["state"] = state_label(case.kind, case.state)
    messages.success(request, _("%(action)s: %(reference)s is now “%(state)s”.") % done)
    return redirect(_case_url(case))


def _transition_form_page(request: HttpRequest, case: Case, step: Transition | None) -> HttpResponse:
    """The transition's own page: its form, or why it cannot be taken now. A step without
    fields has no page: it is one button on the case page."""
    if step is None:
        raise Http404("No such step")
    if not step.fields:
        return redirect(_case_url(case))
    option = next((o for o in evaluate(case, _user(request)) if o.transition.name == step.name), None)
    if option is not None and not can_work_case(request.user, case):
        option = Option(step, _("You may read this case but not change it."))
    form = None
    if option is not None and option.allowed:
        if step.sensitive and not has_sudo(request):
            return sudo_redirect(request)
        form = TransitionForm(transition=step, initial={"version": case.version})
    return _render_transition_page(request, case, option, form)


def _transition_refused(
    request: HttpRequest, case: Case, step: Transition | None, form: VersionedForm, error: CaseError
) -> HttpResponse:
    """Say why nothing happened. A form the user typed into comes back with their input."""
    case = Case.objects.get(pk=case.pk)
    refusal = _refusal_text(error)
    if step is None or not step.fields or not can_work_case(request.user, case):
        return _render_case(request, case, status=error.http_status, refusal=refusal)
    data = request.POST.copy()
    data["version"] = str(case.version)  # resubmitting after a stale refusal is a fresh decision
    again = TransitionForm(data, transition=step)
    again.is_valid()
    if isinstance(error, InvalidData):
        for field, message in error.details.get("fields", {}).items():
            again.add_error(field if field in again.fields else None, message)
        refusal = _("Please correct the fields marked below.")
    option = Option(step, None)
    return _render_transition_page(request, case, option, again, status=error.http_status, refusal=refusal)


@staff_required
@require_POST
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    form = NoteForm(request.POST)
    if not form.is_valid():
        refusal = _form_refusal(form, _("The note was not added: see the note form below."))
        return _render_case(request, case, status=400, note_form=form, refusal=refusal)
    try:
        note = do_add_note(
            case=case,
            acting_user=request.user,
            body=form.cleaned_data["body"],
            expected_version=form.cleaned_data["version"],
        )
    except CaseError as error:
        if isinstance(error, StaleCase):
            # Keep the text; the form now carries the current version, so sending it again
            # after reading the changes adds the note.
            data = request.POST.copy()
            data["version"] = str(Case.objects.get(pk=case.pk).version)
            form = NoteForm(data)
            form.is_valid()
        elif isinstance(error, InvalidData):
            form.add_error("body", error.message)
        return _render_case(
            request, case, status=error.http_status, note_form=form, refusal=_refusal_text(error)
        )
    messages.success(request, _("Note added."))
    return redirect(f"{_case_url(case)}#note-{note.pk}")


@staff_required
@require_POST
def case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    form = AssignForm(request.POST, staff=casework_staff())
    if not form.is_valid():
        refusal = _form_refusal(form, _("See the assignment form below."))
        return _render_case(request, case, status=400, assign_form=form, refusal=refusal)
    try:
        case = do_assign_case(
            case=case,
            acting_user=request.user,
            lead=form.cleaned_data["lead"],
            assistants=form.cleaned_data["assistants"],
            expected_version=form.cleaned_data["version"],
        )
    except CaseError as error:
        if isinstance(error, InvalidData):
            form.add_error(None, error.message)
        # After a stale refusal the form shows the assignment as it is now, not what was sent.
        shown = None if isinstance(error, StaleCase) else form
        return _render_case(
            request, case, status=error.http_status, assign_form=shown, refusal=_refusal_text(error)
        )
    messages.success(request, _("Assignment saved."))
    return redirect(_case_url(case))


@staff_required
@require_POST
def case_member(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_case(request.user, reference, ip_address=client_ip(request))
    form = MemberForm(request.POST, candidates=casework_staff())
    if not form.is_valid():
        refusal = _form_refusal(form, _("See the members form below."))
        return _render_case(request, case, status=400, member_form=form, refusal=refusal)
    try:
        case = do_add_case_member(
            case=case,
            acting_user=request.user,
            member=form.cleaned_data["member"],
            expected_version=form.cleaned_data["version"],
        )
    except CaseError as error:
        return _render_case(request, case, status=error.http_status, refusal=_refusal_text(error))
    messages.success(request, _("%(person)s is now a member of this case.") % {"person": form.cleaned_data["member"]})
    return redirect(_case_url(case))
