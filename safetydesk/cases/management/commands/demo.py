"""`safetydesk demo [--cases 200] [--seed N] [--if-empty]`: demo staff and realistic cases.

Every case is made the way staff would make it: opened with do_create_case, walked through
its workflow with do_transition, assigned, annotated and given evidence through the actions,
so each has its timeline and audit rows and the audit chain stays intact. Transition times are
"now"; only `opened_at` is set in the past (spread over ~90 days, so that some cases are aging
or overdue). The same --seed gives the same cases.

Emergencies walk the emergency track through the emergency app's actions (triage, location
trace, referral, disclosure …) to the next of demo_data.EMERGENCY_SCENES; each is paged when it
is opened, like any emergency, and the task worker (`safetydesk serve` runs one) sends the
pages. The on-call rota is filled for the coming week through the oncall actions, unless it
already has shifts ahead.

The demo logins share one password, printed at the end. The command refuses to run in
production mode.
"""

import random
import secrets
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from safetydesk.accounts.actions import do_change_roles, do_create_staff_user
from safetydesk.accounts.models import User
from safetydesk.accounts.permissions import (
    can_confirm_disclosure,
    can_manage_rota,
    can_record_functionary_report,
    can_work_case,
    can_work_emergency,
)
from safetydesk.accounts.roles import Role
from safetydesk.appeals.models import CommitteeMember
from safetydesk.audit.log import verify_chain
from safetydesk.cases.actions import (
    PartyData,
    do_add_note,
    do_add_party,
    do_assign_case,
    do_capture_evidence,
    do_create_case,
    do_transition,
)
from safetydesk.cases.demo_data import (
    AGENCIES,
    CITIES,
    COMMONS,
    COMPANIES,
    COUNTRY_OF_CITY,
    DEMO_PASSWORD,
    EMERGENCY_AGE_DAYS,
    EMERGENCY_LATER,
    EMERGENCY_SCENES,
    EMERGENCY_TEXTS,
    EU_LANGUAGES,
    LANGUAGE_NAMES,
    LANGUAGE_WEIGHTS,
    LATE_REASON,
    META,
    REFERRAL_METHODS,
    REPORT_QUOTES,
    RIGHTS_HOLDERS,
    ROTA_DAYS,
    ROTA_KEEPER,
    ROTA_RESPONDERS,
    ROTA_SHIFT_HOURS,
    SISTERS,
    STAFF,
    STORIES,
    SUBJECT_STEMS,
    TOPICS,
    USERNAME_PARTS,
    WIKIDATA,
    WIKIS,
    DemoStaff,
    EmergencyTexts,
    EvidenceSpec,
    Outcome,
    Story,
    Variant,
    Wiki,
)
from safetydesk.cases.models import AgeFlag, Case, CaseKind, PartyRole
from safetydesk.cases.workflow import Transition, Workflow, role_block, workflow_for
from safetydesk.emergency.actions import (
    DisclosureData,
    FunctionaryReportData,
    LocationData,
    ReferralData,
    TriageData,
    do_add_follow_up,
    do_confirm_disclosure,
    do_record_disclosure,
    do_record_functionary_report,
    do_record_le_acknowledgement,
    do_record_triage,
    do_refer_to_law_enforcement,
    do_trace_location,
)
from safetydesk.emergency.models import (
    Confidence,
    DataElement,
    DisclosureKind,
    LegalBasis,
    TriageDecision,
)
from safetydesk.oncall.actions import do_acknowledge_page, do_add_fallback_contact, do_add_shift
from safetydesk.oncall.models import Level, Page, Shift
from safetydesk.oncall.selectors import on_call_now, upcoming_shifts

VIA = "demo"
# How long ago cases in each state were opened (days, low to high). Fresh reports are recent, a
# few have waited past the acknowledgement clock; investigations run long enough that some
# pass the 30-day aging alert and the 60-day target.
AGE_DAYS: dict[str, tuple[float, float]] = {
    "RECEIVED": (0.05, 4),
    "ACKNOWLEDGED": (0.5, 10),
    "TRIAGED": (1, 25),
    "PRIORITISED": (3, 45),
    "UNDER_INVESTIGATION": (6, 90),
}
CLOSED_AGE_DAYS = (2.0, 90.0)
DOCUMENTATION_RANGES = ("203.0.113.0/24", "198.51.100.128/25", "192.0.2.64/26", "2001:db8:4a1::/48")
FILE_NAMES = ("Harbour_at_dusk.jpg", "Concert_stage_2019.jpg", "Old_town_square.jpg", "Portrait_session_04.jpg")
FORUM_SLUGS = ("who-runs-this-article", "wiki-admins-exposed", "editors-list", "the-real-story")


@dataclass
class Cast:
    """The demo staff, grouped the way the builder picks them."""

    by_username: dict[str, User]

    def with_role(self, role: str) -> list[User]:
        return [u for u in self.by_username.values() if u.has_role(role)]

    def readers(self, users: list[User], language: str) -> list[User]:
        return [u for u in users if language in (u.languages or [])]


class Command(BaseCommand):
    help = "Create demo staff logins and realistic demo cases (through the real actions)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=200, help="how many cases to create (default 200)")
        parser.add_argument("--seed", type=int, default=None, help="random seed: the same seed gives the same cases")
        parser.add_argument(
            "--if-empty", action="store_true",
            help="do nothing (but print the logins) when any case exists already",
        )
        parser.add_argument(
            "--password", default=DEMO_PASSWORD,
            help="the password shared by demo logins that this run creates (default: %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "The demo creates logins with a shared, printed password, so it does not run in production "
                "mode. Set SAFETYDESK_DEMO=1 (or SAFETYDESK_ENV=development) for a demo instance."
            )
        count: int = options["cases"]
        if count < 0:
            raise CommandError("--cases must be 0 or more.")
        password: str = options["password"]
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("The demo password is too weak: " + " ".join(exc.messages)) from exc

        if options["if_empty"] and Case.objects.exists():
            self.stdout.write(f"Cases exist already ({Case.objects.count()}); the demo changed nothing.")
            self._print_logins(password, set_now=set())
            return

        seed = options["seed"] if options["seed"] is not None else secrets.randbelow(1_000_000)
        started = time.monotonic()
        staff, created = ensure_staff(password)
        cast = Cast(staff)
        # Seeded, not secret: the same seed must give the same demo.
        builder = CaseBuilder(cast, random.Random(seed), timezone.now())  # noqa: S311
        with transaction.atomic():
            ensure_rota(cast, timezone.now())
            cases = [builder.build() for _ in range(count)]
        elapsed = time.monotonic() - started
        self._print_summary(cases, seed, elapsed)
        self._print_rota()
        self._print_logins(password, set_now=created)

    def _print_summary(self, cases: list[Case], seed: int, elapsed: float) -> None:
        now = timezone.now()
        open_cases = [c for c in cases if c.closed_at is None]
        by_kind = Counter(c.kind for c in cases)
        by_state = Counter(c.state for c in cases)
        overdue = sum(1 for c in open_cases if c.sla_due_at and c.sla_due_at < now)
        aging = sum(1 for c in open_cases if c.aging_alert_at and c.aging_alert_at < now)
        chain = verify_chain()
        write = self.stdout.write
        write(f"Demo: {len(cases)} cases created in {elapsed:.1f} s (seed {seed}; rerun with --seed {seed}).")
        write("  by kind:  " + ", ".join(f"{CaseKind(k).label} {n}" for k, n in by_kind.most_common()))
        write("  by state: " + ", ".join(f"{s} {n}" for s, n in by_state.most_common()))
        write(f"  open {len(open_cases)} (overdue {overdue}, aging {aging}), closed {len(cases) - len(open_cases)}")
        emergencies = [c for c in open_cases if c.kind == CaseKind.EMERGENCY]
        if emergencies:
            unacknowledged = Case.objects.filter(
                pk__in=[c.pk for c in emergencies], paging__acknowledged_at__isnull=True
            ).count()
            write(
                f"  emergency board: {len(emergencies)} open, {unacknowledged} not yet acknowledged "
                "(the task worker sends their pages; `safetydesk serve` runs one)"
            )
        write("  audit chain: " + ("intact" if chain is None else f"BROKEN at #{chain.seq}: {chain.reason}"))

    def _print_rota(self) -> None:
        parts = []
        for row in on_call_now():
            who = row.shift.user.username if row.shift else "nobody"
            until = f" until {row.shift.ends_at:%a %H:%M} UTC" if row.shift else ""
            after = f", then {row.next_user.username}" if row.next_user else ""
            parts.append(f"{Level(row.level).name.lower()} {who}{until}{after}")
        self.stdout.write("  on call:  " + "; ".join(parts))

    def _print_logins(self, password: str, *, set_now: set[str]) -> None:
        """The demo logins and their password. Accounts this run did not create are checked
        against the password (argon2 is slow on purpose, so only those)."""
        users = {u.username: u for u in User.objects.filter(username__in=[s.username for s in STAFF])}
        if not users:
            self.stdout.write("No demo logins exist (run `safetydesk demo` without --if-empty to create them).")
            return
        verified: dict[str, bool] = {}
        rows = [("username", "role", "password")]
        for spec in STAFF:
            user = users.get(spec.username)
            if user is None:
                continue
            if user.username in set_now:
                verified[user.password] = True
            elif user.password not in verified:
                verified[user.password] = check_password(password, user.password)
            shown = password if verified[user.password] else "(not the demo password)"
            if not user.is_active:
                shown = "(account deactivated)"
            rows.append((user.username, _role_label(spec, user), shown))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("")
        self.stdout.write("Demo logins (one shared password):")
        for username, role, shown in rows:
            self.stdout.write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {shown}")
        if settings.REQUIRE_2FA:
            self.stdout.write(
                "Two-factor sign-in is required (REQUIRE_2FA): each login must enrol an authenticator app "
                "first. Set SAFETYDESK_DEMO=1 or SAFETYDESK_REQUIRE_2FA=0 to sign in with the password alone."
            )


def _role_label(spec: DemoStaff, user: User) -> str:
    labels = [str(Role(r).label) for r in sorted(user.roles) if r in Role.values] or ["(no role)"]
    return f"{', '.join(labels)} ({', '.join(user.languages or spec.languages)})"


def ensure_staff(password: str) -> tuple[dict[str, User], set[str]]:
    """The demo logins by username, and the usernames created now. They are created through the
    accounts actions; existing accounts are reused and only given their demo role if they lack
    it (their password is left alone)."""
    users: dict[str, User] = {}
    created: set[str] = set()
    for spec in STAFF:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = do_create_staff_user(
                acting_user=None, username=spec.username, roles=[spec.role, *spec.also], password=password,
                email=f"{spec.username}@staff.example.org", display_name=spec.display_name, via=VIA,
            )
            # Languages grant no access (like the profile fields, they are not audited); they only
            # let the console suggest assignees who read a case's language.
            User.objects.filter(pk=user.pk).update(languages=list(spec.languages))
            user.languages = list(spec.languages)
            created.add(spec.username)
        elif not {spec.role, *spec.also} <= user.roles:
            do_change_roles(acting_user=None, user=user, roles=[*user.roles, spec.role, *spec.also], via=VIA)
            user = User.objects.get(pk=user.pk)
        users[spec.username] = user
        if spec.role == Role.CRC_MEMBER:
            # Known to the committee's roster by pseudonym, as legal counsel would enter them.
            CommitteeMember.objects.get_or_create(user=user, defaults={"pseudonym": spec.display_name.split(" (")[0]})
    return users, created


def ensure_rota(cast: Cast, now: datetime) -> list[Shift]:
    """The coming ROTA_DAYS of on-call shifts (demo_data.ROTA_RESPONDERS taking turns as primary
    and secondary, twelve hours each) and the manager on the fallback list, added by the rota
    keeper through the oncall actions. A rota that already has shifts ahead is left alone."""
    keeper = cast.by_username.get(ROTA_KEEPER)
    responders = [(cast.by_username[name], zone) for name, zone in ROTA_RESPONDERS if name in cast.by_username]
    if keeper is None or not can_manage_rota(keeper) or len(responders) < 2 or upcoming_shifts(now, days=ROTA_DAYS):
        return []
    hours = ROTA_SHIFT_HOURS
    start = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    start -= timedelta(hours=(start.hour - 6) % hours)  # the last 06:00 or 18:00 UTC handover
    shifts = []
    for turn in range(ROTA_DAYS * 24 // hours):
        begins = start + timedelta(hours=turn * hours)
        people = (responders[turn % 2], responders[(turn + 1) % 2])
        for level, (person, zone) in zip((Level.PRIMARY, Level.SECONDARY), people, strict=True):
            shifts.append(
                do_add_shift(
                    acting_user=keeper, user=person, level=level, starts_at=begins,
                    ends_at=begins + timedelta(hours=hours), time_zone=zone,
                )
            )
    do_add_fallback_contact(acting_user=keeper, user=keeper)
    return shifts


class CaseBuilder:
    """Makes one case at a time from the stories, drawing every choice from one seeded RNG."""

    def __init__(self, cast: Cast, rng: random.Random, now: datetime) -> None:
        self.cast = cast
        self.rng = rng
        self.now = now
        self.specialists = cast.with_role(Role.SPECIALIST)
        self.oncall = cast.with_role(Role.ONCALL)
        self.legal = cast.with_role(Role.LEGAL_COUNSEL)
        self.disinfo = cast.with_role(Role.DISINFO_ANALYST)
        self.managers = cast.with_role(Role.MANAGER)
        self.supervisors = self.managers + cast.with_role(Role.DIRECTOR)
        self.caseworkers = [u for u in cast.by_username.values() if u.is_casework_staff]
        self.kinds_done: set[str] = set()
        self.emergencies = 0
        self.late_report_done = False

    # --- choosing ---

    def pick_story(self) -> Story:
        # Each kind once first, so even a small demo shows every kind; then by weight.
        fresh = [s for s in STORIES if s.kind not in self.kinds_done]
        if fresh:
            story = self.rng.choice(fresh)
            self.kinds_done.add(story.kind)
            return story
        return self.rng.choices(STORIES, weights=[s.weight for s in STORIES])[0]

    def weighted(self, options: dict[str, int]) -> str:
        keys = list(options)
        return self.rng.choices(keys, weights=[options[k] for k in keys])[0]

    def username(self, language: str) -> str:
        stems, tails, sep = USERNAME_PARTS[language]
        name = self.rng.choice(stems) + sep + self.rng.choice(tails)
        if self.rng.random() < 0.5:
            name += str(self.rng.randint(2, 99))
        return name

    def subject_name(self, language: str) -> str:
        if self.rng.random() < 0.5:
            return f"{self.rng.choice(SUBJECT_STEMS)}{self.rng.randint(1, 2024)}"
        return self.username(language)

    def email_for(self, username: str) -> str:
        ascii_name = unicodedata.normalize("NFKD", username).encode("ascii", "ignore").decode()
        local = "".join(ch for ch in ascii_name.lower() if ch.isalnum())
        if len(local) < 4:
            local = f"reporter{self.rng.randint(100, 9999)}"
        return f"{local}@example.org"

    def other_wiki(self, language: str) -> Wiki:
        roll = self.rng.random()
        if roll < 0.3:
            return COMMONS
        if roll < 0.45:
            return WIKIDATA
        if roll < 0.7:
            sister = self.rng.choice(SISTERS)
            name = f"{LANGUAGE_NAMES[language]} {sister.title()}"
            return Wiki(f"{language}{sister}", f"{language}.{sister}.org", name)
        return WIKIS[self.rng.choice([code for code in WIKIS if code != language])]

    def context(self, language: str, variant: Variant) -> dict[str, Any]:
        home = WIKIS[language]
        other = self.other_wiki(language)
        rng = self.rng
        ctx: dict[str, Any] = {
            "wiki": home.dbname, "site": home.host, "wiki_name": home.name,
            "other_wiki": other.dbname, "other_site": other.host,
            "reporter": self.username(language), "subject": self.subject_name(language),
            "city": rng.choice(CITIES[language]), "topic": rng.choice(TOPICS), "company": rng.choice(COMPANIES),
            "rights_holder": rng.choice(RIGHTS_HOLDERS), "agency": variant.requester or rng.choice(AGENCIES),
            "ip": rng.choice(DOCUMENTATION_RANGES), "n": rng.randint(3, 9), "year": rng.randint(2016, 2023),
        }
        ctx["reason"] = variant.reason.format_map(ctx)
        # A reporter the summary names by their account must have it on file.
        ctx["reporter_named"] = "{reporter}" in variant.summary
        return ctx

    # --- building ---

    def build(self) -> Case:
        rng = self.rng
        story = self.pick_story()
        variant = rng.choice(story.variants)
        language = self.weighted(story.languages or LANGUAGE_WEIGHTS)
        ctx = self.context(language, variant)
        if story.kind == CaseKind.EMERGENCY and variant.threat is not None:
            return self.build_emergency(story, variant, language, ctx)
        late_days = 0
        if variant.disclosure is not None:
            # The first functionary report came in late, the others within the 10 days allowed.
            late_days = rng.randint(13, 20) if not self.late_report_done else 0
            self.late_report_done = True
            ctx["late_days"] = late_days
            if late_days:
                ctx["reason"] = LATE_REASON.format_map(ctx)
        outcome = rng.choices(story.outcomes, weights=[o.weight for o in story.outcomes])[0]
        workflow = workflow_for(story.kind)
        # A third of the cases have not got to the end of their story yet.
        stop = rng.randrange(len(outcome.path)) if rng.random() < 0.35 else len(outcome.path)
        steps = planned_steps(workflow, outcome.path[:stop])
        final_state = steps[-1].target if steps else workflow.initial

        desk = self.desk_for(story, language)
        case = self.open_case(story, variant, language, ctx, desk, self.opened_at(story, workflow, final_state))
        if story.evidence and (steps or rng.random() < 0.5):
            for spec in story.evidence:
                case = self.capture(case, desk, spec, ctx)
        if variant.disclosure is not None:
            self.functionary_report(case, desk, variant, ctx, late_days)

        lead_plan = self.lead_plan(story, steps, language)
        notes = list(story.notes)
        rng.shuffle(notes)
        for index, step in enumerate(steps):
            if lead_plan is not None and lead_plan[0] == index:
                case = self.assign(case, desk, lead_plan[1], lead_plan[2])
            actor = self.actor(step, case, [case.lead, desk, *self.supervisors] if step.name == "reopen"
                               else [case.lead, desk])
            if actor is None:
                break
            case = do_transition(
                case=case, transition=step.name, acting_user=actor,
                data=self.transition_data(step, outcome, story, ctx),
            )
            if step.name == "triage":
                case = self.after_triage(case, desk, story, ctx, language, notes)
        if lead_plan is not None and lead_plan[0] >= len(steps):
            case = self.assign(case, desk, lead_plan[1], lead_plan[2])
        if len(steps) >= 3 and notes:
            for body in notes[: rng.randint(1, len(notes))]:
                case = self.note(case, desk, body.format_map(ctx))
        return case

    def open_case(
        self, story: Story, variant: Variant, language: str, ctx: dict[str, Any], desk: User, opened_at: datetime
    ) -> Case:
        summary = variant.summary.format_map(ctx)
        quote = REPORT_QUOTES.get(story.theme, {}).get(language)
        if quote:
            summary += f"\n\nFrom the report ({LANGUAGE_NAMES[language]}): “{quote}”"
        return do_create_case(
            acting_user=desk,
            title=variant.title.format_map(ctx)[:200],
            kind=story.kind,
            summary=summary,
            priority=self.weighted(story.priorities),
            confidentiality=self.weighted(story.confidentiality),
            language=language,
            projects=self.projects(story, ctx),
            intake_channel=story.channel,
            eu_nexus=self.eu_nexus(language),
            parties=[p for p in (self.party(kind, ctx, language) for kind in story.parties) if p is not None],
            opened_at=opened_at,
        )

    # --- the emergency track (emergency/workflows.py) ---

    def next_scene(self) -> str:
        done = self.emergencies
        self.emergencies += 1
        return EMERGENCY_SCENES[done] if done < len(EMERGENCY_SCENES) else self.weighted(EMERGENCY_LATER)

    def build_emergency(self, story: Story, variant: Variant, language: str, ctx: dict[str, Any]) -> Case:
        """An emergency taken to its scene through the emergency and oncall actions. Opening it
        pages the on-call responder (the workflow's on_create); every scene but "received" starts
        with the paged responder acknowledging the page and taking the case."""
        rng = self.rng
        threat = variant.threat
        assert threat is not None
        scene = self.next_scene()
        desk = self.desk_for(story, language)
        opened_at = self.now - timedelta(days=rng.uniform(*EMERGENCY_AGE_DAYS[scene]))
        case = self.open_case(story, variant, language, ctx, desk, opened_at)
        for spec in story.evidence:
            case = self.capture(case, desk, spec, ctx)
        if scene == "received":
            return case

        responder = self.acknowledge_page(case, desk)
        case = do_assign_case(case=case, acting_user=responder, lead=responder)
        city = ctx["city"]
        country = COUNTRY_OF_CITY.get(city, "")
        decision = {
            "monitored": TriageDecision.NOT_CREDIBLE,
            "awaiting": TriageDecision.INSUFFICIENT_INFO,
        }.get(scene, TriageDecision.CREDIBLE_IMMINENT)
        rationale = {
            TriageDecision.CREDIBLE_IMMINENT: threat.credible,
            TriageDecision.NOT_CREDIBLE: threat.not_credible,
            TriageDecision.INSUFFICIENT_INFO: threat.insufficient,
        }[decision]
        do_record_triage(
            case=case,
            acting_user=responder,
            triage=TriageData(
                threat_text=threat.text.format_map(ctx),
                threat_type=threat.threat_type,
                target=threat.target,
                decision=decision,
                decision_rationale=rationale.format_map(ctx),
                permalink=self.permalink("diff", ctx),
                target_detail=threat.target_detail.format_map(ctx),
                specificity_time=threat.time.format_map(ctx),
                specificity_place=threat.place.format_map(ctx),
                specificity_means=threat.means.format_map(ctx),
                capability=threat.capability.format_map(ctx),
                location_country=country if decision != TriageDecision.INSUFFICIENT_INFO else "",
                location_city=city if decision == TriageDecision.CREDIBLE_IMMINENT else "",
                location_confidence=(
                    Confidence.MEDIUM if decision == TriageDecision.CREDIBLE_IMMINENT
                    else Confidence.LOW if decision == TriageDecision.NOT_CREDIBLE
                    else Confidence.UNKNOWN
                ),
                subject_age_flag=AgeFlag.UNKNOWN,
            ),
        )
        if story.notes:
            self.note(case, responder, rng.choice(story.notes).format_map(ctx))
        texts = EMERGENCY_TEXTS[story.key]
        if scene == "awaiting":
            self.step(case, responder, "request_information", ctx, information_requested=texts.information_requested)
        elif scene == "monitored":
            self.step(
                case, responder, "close_monitored", ctx,
                closure_reason=texts.monitored, admin_handoff=texts.handoff, handoff_note=texts.handoff_note,
            )
        elif scene in {"acknowledged", "disclosed", "closed"}:
            self.refer(case, responder, scene, texts, ctx, country)
        return Case.objects.get(pk=case.pk)

    def acknowledge_page(self, case: Case, desk: User) -> User:
        """The paged responder (else the desk) acknowledges the page; returns who did."""
        page = Page.objects.filter(case=case).select_related("recipient").order_by("round", "id").first()
        responder = page.recipient if page is not None and can_work_emergency(page.recipient, case) else desk
        if page is not None:
            do_acknowledge_page(acting_user=responder, page=page)
        return responder

    def step(self, case: Case, actor: User, name: str, ctx: dict[str, Any], **texts: str) -> None:
        do_transition(
            case=case, transition=name, acting_user=actor, data={k: v.format_map(ctx) for k, v in texts.items()}
        )

    def refer(
        self, case: Case, responder: User, scene: str, texts: EmergencyTexts, ctx: dict[str, Any], country: str
    ) -> None:
        """Traced, referred, and (by scene) disclosed, acknowledged by the agency, closed."""
        rng = self.rng
        city = ctx["city"]
        agency = texts.agency.format_map(ctx)
        do_trace_location(
            case=case,
            acting_user=responder,
            location=LocationData(
                confidence=Confidence.HIGH, country=country, city=city, source=texts.location_source.format_map(ctx)
            ),
        )
        referral = do_refer_to_law_enforcement(
            case=case,
            acting_user=responder,
            referral=ReferralData(
                agency=agency,
                jurisdiction=city,
                method=rng.choice(REFERRAL_METHODS),
                country=country,
                reference_number=f"{country or 'XX'}-{self.now.year}-{rng.randint(10_000, 99_999)}",
                note=texts.referral_note.format_map(ctx),
            ),
        )
        if scene in {"disclosed", "closed"}:
            disclosure = do_record_disclosure(
                case=case,
                acting_user=responder,
                disclosure=DisclosureData(
                    kind=DisclosureKind.VOLUNTARY_DISCLOSURE,
                    recipient_agency=agency,
                    legal_basis=LegalBasis.CREDIBLE_IMMINENT_THREAT,
                    data_elements=(DataElement.IP_ADDRESS, DataElement.USER_AGENT),
                    jurisdiction=city,
                    country=country,
                    detail=texts.disclosure_detail.format_map(ctx),
                ),
            )
            if scene == "disclosed":
                return  # Legal has been told and has 24 hours to confirm it
            counsel = next((u for u in self.legal if can_confirm_disclosure(u, case)), None)
            if counsel is not None:
                do_confirm_disclosure(disclosure=disclosure, acting_user=counsel)
        do_record_le_acknowledgement(
            referral=referral,
            acting_user=responder,
            contact=texts.acknowledged_by.format_map(ctx),
            note=texts.acknowledgement.format_map(ctx),
        )
        if scene == "closed":
            do_add_follow_up(case=case, acting_user=responder, body=texts.follow_up.format_map(ctx))
            self.step(case, responder, "follow_up", ctx)
            self.step(case, responder, "close", ctx, closure_reason=texts.closure)

    def functionary_report(
        self, case: Case, desk: User, variant: Variant, ctx: dict[str, Any], late_days: int
    ) -> None:
        """What the functionary's report says, recorded on the case it opened (late when it came
        more than 10 days after the disclosure)."""
        spec = variant.disclosure
        assert spec is not None
        worker = next((u for u in [desk, *self.legal] if can_record_functionary_report(u, case)), None)
        if worker is None:
            return
        reported_on = case.opened_at.astimezone(UTC).date()
        do_record_functionary_report(
            case=case,
            acting_user=worker,
            report=FunctionaryReportData(
                functionary=ctx["reporter"],
                functionary_role=spec.role,
                disclosed_to=spec.disclosed_to.format_map(ctx),
                disclosed_on=reported_on - timedelta(days=late_days or self.rng.randint(1, 8)),
                exception=spec.exception,
                data_disclosed=spec.data_disclosed.format_map(ctx),
            ),
        )

    def desk_for(self, story: Story, language: str) -> User:
        """Who opens and first works the case: a responder for emergencies, else a specialist
        (or responder) who reads the report's language."""
        if story.lead == "oncall":
            pool = self.cast.readers(self.oncall, language) or self.oncall
        else:
            pool = (self.cast.readers(self.specialists, language) or self.cast.readers(self.oncall, language)
                    or self.specialists)
        return self.rng.choice(pool)

    def lead_plan(self, story: Story, steps: list[Transition], language: str) -> tuple[int, User, list[User]] | None:
        """(before which step, lead, assistants), or None to leave the case unassigned. A step
        index equal to len(steps) means after the last step."""
        names = [s.name for s in steps]
        if "start_investigation" in names:
            at = names.index("start_investigation")
        elif story.lead == "oncall" and names:
            at = 1  # the responder takes it as soon as it is acknowledged
        elif len(names) >= 2 and self.rng.random() < 0.35:
            at = 2  # whoever triaged it keeps it
        else:
            return None
        rng = self.rng
        pools = {
            "oncall": self.cast.readers(self.oncall, language) or self.oncall,
            "legal": self.legal,
            "disinfo": self.disinfo,
        }
        pool = pools.get(story.lead) or (
            self.cast.readers(self.specialists + self.oncall, language) or self.specialists
        )
        if story.lead == "specialist" and rng.random() < 0.1:
            pool = self.managers or pool
        lead = rng.choice(pool)
        assistants: list[User] = []
        if story.kind == CaseKind.CHILD_PROTECTION:
            assistants.append(rng.choice(self.legal))
        elif story.kind == CaseKind.DISINFORMATION or rng.random() < 0.2:
            others = [u for u in self.specialists if u != lead]
            if others:
                assistants.append(rng.choice(others))
        return at, lead, assistants

    def actor(self, step: Transition, case: Case, preferred: list[User | None]) -> User | None:
        for user in [*preferred, *self.caseworkers]:
            if user is not None and role_block(step, user) is None and can_work_case(user, case):
                return user
        return None

    def assign(self, case: Case, desk: User, lead: User, assistants: list[User]) -> Case:
        # Usually the lead takes the case; otherwise a manager (or, on restricted cases, the
        # person already named on it) assigns it, and the lead is notified.
        candidates = [lead, desk] if self.rng.random() < 0.6 else [*self.managers, lead, desk]
        acting = next((u for u in candidates if u.is_casework_staff and can_work_case(u, case)), desk)
        return do_assign_case(case=case, acting_user=acting, lead=lead, assistants=assistants)

    def after_triage(
        self, case: Case, desk: User, story: Story, ctx: dict[str, Any], language: str, notes: list[str]
    ) -> Case:
        worker = case.lead or desk
        if not can_work_case(worker, case):
            return case
        for kind in story.parties:
            if kind in {"affected", "witness"} and self.rng.random() < 0.6:
                party = self.party(kind, ctx, language)
                if party is not None:
                    do_add_party(case=case, acting_user=worker, party=party)
        if notes and self.rng.random() < 0.5:
            case = self.note(case, worker, notes.pop().format_map(ctx))
        return case

    def note(self, case: Case, author: User, body: str) -> Case:
        writer = case.lead if case.lead and can_work_case(case.lead, case) else author
        do_add_note(case=case, acting_user=writer, body=body)
        return case

    def capture(self, case: Case, desk: User, spec: EvidenceSpec, ctx: dict[str, Any]) -> Case:
        do_capture_evidence(
            case=case, acting_user=desk, kind=spec.kind, permalink=self.permalink(spec.link, ctx),
            content=spec.content.format_map(ctx), description=spec.description.format_map(ctx),
        )
        return case

    def permalink(self, link: str, ctx: dict[str, Any]) -> str:
        rng = self.rng
        oldid = rng.randint(50_000_000, 1_290_000_000) if ctx["wiki"] == "enwiki" else rng.randint(900_000, 250_000_000)
        other_oldid = rng.randint(900_000, 990_000_000)
        logid = rng.randint(1_000_000, 180_000_000)
        links = {
            "diff": f"https://{ctx['site']}/w/index.php?oldid={oldid}&diff=prev",
            "other_diff": f"https://{ctx['other_site']}/w/index.php?oldid={other_oldid}&diff=prev",
            "revision": f"https://{ctx['site']}/w/index.php?oldid={oldid}",
            "log": f"https://{ctx['site']}/wiki/Special:Redirect/logid/{logid}",
            "meta_log": f"https://{META.host}/wiki/Special:Redirect/logid/{logid}",
            "commons_log": f"https://{COMMONS.host}/wiki/Special:Redirect/logid/{logid}",
            "file": f"https://{COMMONS.host}/w/index.php?title=File:{rng.choice(FILE_NAMES)}&oldid={oldid}",
            "offwiki": f"https://forum.example.net/t/{rng.choice(FORUM_SLUGS)}/{rng.randint(1000, 99999)}",
        }
        return links.get(link, "")

    def party(self, kind: str, ctx: dict[str, Any], language: str) -> PartyData | None:
        rng = self.rng
        if kind == "reporter":
            email = self.email_for(ctx["reporter"]) if rng.random() < 0.6 else ""
            return PartyData(role=PartyRole.REPORTER, wiki_username=ctx["reporter"], email=email, language=language)
        if kind == "reporter_public":
            username = ctx["reporter"] if ctx["reporter_named"] or rng.random() < 0.4 else ""
            return PartyData(
                role=PartyRole.REPORTER, wiki_username=username, email=self.email_for(ctx["reporter"]),
                language=language,
            )
        if kind == "subject":
            return PartyData(role=PartyRole.SUBJECT, wiki_username=ctx["subject"], language=language)
        if kind == "subject_ip":
            return PartyData(role=PartyRole.SUBJECT, ip_or_range=ctx["ip"], language=language)
        if kind == "requester_rights":
            return PartyData(
                role=PartyRole.REQUESTER, real_name=f"{ctx['rights_holder']} (rights agent)",
                email="copyright-agent@example.org", language="en",
            )
        if kind == "requester_agency":
            return PartyData(
                role=PartyRole.REQUESTER, real_name=ctx["agency"], email="legal-process@example.org", language="en",
            )
        if kind == "requester_affcom":
            return PartyData(
                role=PartyRole.REQUESTER, real_name="Affiliations Committee", email="affcom@example.org", language="en",
            )
        if kind == "affected":
            return PartyData(role=PartyRole.AFFECTED, wiki_username=self.username(language), language=language)
        if kind == "witness":
            return PartyData(role=PartyRole.WITNESS, wiki_username=self.username(language), language=language)
        return None

    def projects(self, story: Story, ctx: dict[str, Any]) -> list[str]:
        names = {
            "home": ctx["wiki"], "other": ctx["other_wiki"], "commons": COMMONS.dbname,
            "wikidata": WIKIDATA.dbname, "meta": META.dbname,
        }
        return list(dict.fromkeys(names[token] for token in story.projects))

    def eu_nexus(self, language: str) -> bool:
        if language in EU_LANGUAGES:
            return self.rng.random() < 0.6
        return language == "en" and self.rng.random() < 0.1

    def opened_at(self, story: Story, workflow: Workflow, state: str) -> datetime:
        low: float
        high: float
        if state in workflow.closed_states():
            low, high = CLOSED_AGE_DAYS
        else:
            low, high = AGE_DAYS.get(state, (1.0, 60.0))
            if state == "RECEIVED" and self.rng.random() < 0.2:
                low, high = 5.0, 15.0  # missed the acknowledgement clock
        return self.now - timedelta(days=self.rng.uniform(low, high))

    def transition_data(self, step: Transition, outcome: Outcome, story: Story, ctx: dict[str, Any]) -> dict[str, str]:
        """What the transition's form asks for: the outcome's values, else the story's own words."""
        given = outcome.data.get(step.name, {})
        data: dict[str, str] = {}
        for form_field in step.fields:
            if form_field.name in given:
                data[form_field.name] = given[form_field.name].format_map(ctx)
            elif form_field.kind == "choice" and form_field.required:
                data[form_field.name] = form_field.choices[0][0]
            elif form_field.kind in {"text", "textarea"} and (form_field.required or form_field.name == "triage_note"):
                data[form_field.name] = story.triage_note.format_map(ctx)
        return data


def planned_steps(workflow: Workflow, path: tuple[str, ...]) -> list[Transition]:
    """The transitions of `path` that this kind's workflow has, in order, stopping at the first
    it cannot take (a kind with its own track may name its steps differently)."""
    state = workflow.initial
    steps = []
    for name in path:
        step = workflow.transition(name)
        if step is None or state not in step.sources:
            break
        steps.append(step)
        state = step.target
    return steps
