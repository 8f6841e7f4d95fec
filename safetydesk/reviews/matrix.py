"""The review matrix, read from review_matrix.toml (settings.REVIEW_MATRIX_FILE to replace it)."""

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, gettext_noop

# The shipped stage names, for the translation catalogues (makemessages does not read TOML).
# A name an operator's own matrix file introduces is shown as written.
SHIPPED_LABELS = (
    gettext_noop("Review by the team and its manager"),
    gettext_noop("Review by the team's director"),
    gettext_noop("Review by the department's chief"),
    gettext_noop("Review by Legal"),
    gettext_noop("Review by Communications"),
    gettext_noop("Review by the executive director"),
)


@dataclass(frozen=True)
class Stage:
    key: str
    role: str
    label: str

    @property
    def name(self) -> str:
        """The label in the active language."""
        return gettext(self.label)


@dataclass(frozen=True)
class Matrix:
    version: int
    stages: dict[str, Stage]
    required: dict[str, tuple[str, ...]]
    conditional: dict[str, tuple[str, ...]]
    override_roles: frozenset[str]
    # Matrix row 11: the action types after which other affected parties (the reporters) are told.
    notify_other_parties: frozenset[str] = frozenset()

    def stages_for(self, action_types: list[str], include: frozenset[str] = frozenset()) -> list[Stage]:
        """The stages the recommended types need together, in the matrix's order: each type's
        required stages, and its conditional ones named in `include`."""
        wanted: set[str] = set()
        for action_type in action_types:
            wanted |= set(self.required[action_type])
            wanted |= set(self.conditional.get(action_type, ())) & include
        return [stage for key, stage in self.stages.items() if key in wanted]


@cache
def _load(path: str) -> Matrix:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    stages = {key: Stage(key, s["role"], s["label"]) for key, s in data["stages"].items()}
    required, conditional, notify = {}, {}, set()
    for action_type, entry in data["action_types"].items():
        if entry.get("notify_other_parties"):
            notify.add(action_type)
        for key in (*entry.get("required", ()), *entry.get("conditional", ())):
            if key not in stages:
                raise ValueError(f"{path}: {action_type} names the unknown stage {key!r}")
        required[action_type] = tuple(entry.get("required", ()))
        conditional[action_type] = tuple(entry.get("conditional", ()))
    return Matrix(
        int(data["version"]), stages, required, conditional, frozenset(data.get("override_roles", ())),
        frozenset(notify),
    )  # fmt: skip


def matrix() -> Matrix:
    return _load(str(settings.REVIEW_MATRIX_FILE))
