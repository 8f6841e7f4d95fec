"""The workflow engine (ARCHITECTURE §5).

Each case kind declares a `Workflow` in its app's `workflows.py`: states, transitions, who may
take each, the data each asks for, guards and clock effects. `do_transition` in
cases/actions.py runs any of them; the console and API ask `evaluate()` which transitions a
user may take and why not.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.functional import Promise
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from safetydesk.accounts.models import User
    from safetydesk.cases.models import Case

    # Labels are lazy translations (gettext_lazy) so each request sees them in its own language.
    Label = StrOrPromise
else:
    Label = str | Promise

# A guard returns None when it passes, or a sentence saying what is missing (translated).
Guard = Callable[["Case", "User", dict[str, Any]], str | None]


@dataclass(frozen=True)
class State:
    name: str
    label: Label
    closed: bool = False


@dataclass(frozen=True)
class Field:
    """A value a transition asks for. `on_case` copies it onto the Case column of that name."""

    name: str
    label: Label
    kind: str = "text"  # text | textarea | choice | url
    required: bool = True
    choices: tuple[tuple[str, str | Promise], ...] = ()
    on_case: bool = False
    help_text: Label = ""

    def clean(self, raw: Any) -> tuple[Any, str | None]:
        value = "" if raw is None else str(raw).strip()
        if not value:
            return value, (_("%(label)s is required.") % {"label": self.label} if self.required else None)
        if self.kind == "choice" and value not in {key for key, _label in self.choices}:
            return value, _("%(label)s: “%(value)s” is not one of the choices.") % {"label": self.label, "value": value}
        if self.kind == "url":
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                return value, _("%(label)s must be an http(s) link.") % {"label": self.label}
        if len(value) > 10_000:
            return value, _("%(label)s is too long (10,000 characters at most).") % {"label": self.label}
        return value, None


@dataclass(frozen=True)
class Transition:
    name: str
    label: Label
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    fields: tuple[Field, ...] = ()
    guards: tuple[Guard, ...] = ()
    # Ask for re-authentication in the console first (sudo mode).
    sensitive: bool = False
    # Stops the acknowledgement clock.
    acknowledges: bool = False
    # Safetydesk itself may take it: do_transition with acting_user None, or a string naming the
    # part that acts ("oncall:paging" sends the page of an emergency). People may take it too
    # only if `roles` names theirs; with no roles, nobody takes it by hand.
    system: bool = False
    # Runs after commit with the case id and cleaned data (emails, tasks): ids only.
    on_commit: tuple[Callable[[int, dict[str, Any]], None], ...] = ()
    # Button style in the console: "primary" for the usual next step, "danger" for closures.
    style: str = "default"
    # Taken through an app's own action (which records more than the state: an appeal's
    # eligibility, a panel's outcome), never from the console's generic "Next steps".
    from_panel: bool = False


def panel_step(
    name: str, label: Label, sources: Iterable[str], target: str, roles: frozenset[str], *, system: bool = False
) -> Transition:
    """A transition taken through an app's own action on its case panel (from_panel): the
    action records what the step decides besides the state."""
    return Transition(name, label, frozenset(sources), target, roles, system=system, from_panel=True)


@dataclass(frozen=True)
class Workflow:
    kind: str
    initial: str
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    # Run inside do_create_case's transaction with the new case: rows that must exist whenever
    # the case does (an emergency's page) are written here, never after commit, so a crash
    # cannot leave the case without them. Effects outside the database go on_commit from here.
    on_create: tuple[Callable[["Case"], None], ...] = ()
    _by_name: dict[str, Transition] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        names = {s.name for s in self.states}
        if self.initial not in names:
            raise ValueError(f"{self.kind}: initial state {self.initial} is not declared")
        for t in self.transitions:
            unknown = (t.sources | {t.target}) - names
            if unknown:
                raise ValueError(f"{self.kind}.{t.name}: undeclared states {sorted(unknown)}")
            if t.name in self._by_name:
                raise ValueError(f"{self.kind}: transition {t.name} declared twice")
            self._by_name[t.name] = t

    def transition(self, name: str) -> Transition | None:
        return self._by_name.get(name)

    def state(self, name: str) -> State:
        return next(s for s in self.states if s.name == name)

    def from_state(self, name: str) -> list[Transition]:
        return [t for t in self.transitions if name in t.sources]

    def closed_states(self) -> frozenset[str]:
        return frozenset(s.name for s in self.states if s.closed)


_REGISTRY: dict[str, Workflow] = {}
_FALLBACK_KIND = "general"


def register(workflow: Workflow) -> Workflow:
    _REGISTRY[workflow.kind] = workflow
    return workflow


def workflow_for(kind: str) -> Workflow:
    """The workflow of a case kind. Kinds whose own track is not built yet follow the general
    report track, so such a case can still be acknowledged, triaged, deferred or closed."""
    return _REGISTRY.get(kind) or _REGISTRY[_FALLBACK_KIND]


def all_workflows() -> Iterable[Workflow]:
    return _REGISTRY.values()


@dataclass(frozen=True)
class Option:
    """A transition as a user sees it on a case: available or not, and why not."""

    transition: Transition
    blocked_by: str | None

    @property
    def allowed(self) -> bool:
        return self.blocked_by is None


def role_block(transition: Transition, user: "User") -> str | None:
    if not transition.roles:
        return _("Safetydesk takes this step by itself; nobody takes it by hand.")
    if not user.has_role(*transition.roles):
        from safetydesk.accounts.roles import Role

        labels = ", ".join(str(Role(r).label) for r in sorted(transition.roles))
        # The step's label inside a sentence: only its first letter is lowered, so a language
        # that capitalises nouns (German) keeps them capitalised.
        label = str(transition.label)
        action = label[:1].lower() + label[1:]
        # Translators: %(action)s is a workflow step's label with its first letter in lower case
        # (for example "reopen"); %(roles)s is a comma-separated list of role names.
        return _("Only these roles may %(action)s: %(roles)s.") % {"action": action, "roles": labels}
    return None


def guard_block(transition: Transition, case: "Case", user: "User", data: dict[str, Any]) -> str | None:
    for guard in transition.guards:
        reason = guard(case, user, data)
        if reason:
            return reason
    return None


def evaluate(case: "Case", user: "User") -> list[Option]:
    """Every transition out of the case's state, each with the reason it is blocked, if any.

    Data-dependent checks (the fields a form asks for) are left to the form itself.
    """
    options = []
    for t in workflow_for(case.kind).from_state(case.state):
        if t.from_panel:
            continue
        blocked = role_block(t, user) or guard_block(t, case, user, {})
        options.append(Option(t, blocked))
    return options
