# The report quotes are in their own scripts (Cyrillic, CJK punctuation), which RUF001 would
# take for look-alike characters.
# ruff: noqa: RUF001
"""What the demo is made of: the demo staff, and case stories that read like the team's work.

Everything here is invented. Wiki usernames are built from word lists, email addresses are
under example.org, IP addresses come from the documentation ranges (RFC 5737, RFC 3849),
companies and agencies are fictional, and no real person is named. The `demo` command
(cases/management/commands/demo.py) turns these stories into cases through the action
functions, so every case has its timeline and audit rows.

Text templates use `str.format_map` with the names a case's context provides: wiki, site,
wiki_name, other_wiki, other_site, reporter, subject, city, topic, company, rights_holder,
agency, ip, n, year, and reason (the variant's closure reason).
"""

from dataclasses import dataclass, field

from safetydesk.accounts.roles import Role
from safetydesk.cases.models import CaseKind, Confidentiality, EvidenceKind, Priority
from safetydesk.cases.routing import ReplyTemplate, Venue
from safetydesk.emergency.models import (
    DisclosureException,
    FunctionaryRole,
    ReferralMethod,
    ThreatTarget,
    ThreatType,
)
from safetydesk.emergency.workflows import AdminHandoff

# Shared by every demo login and printed by the command. The demo refuses to run in production,
# so this never protects a real account.
DEMO_PASSWORD = "wiki-safety-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoStaff:
    username: str
    display_name: str
    role: str
    languages: tuple[str, ...]
    # Further roles, e.g. a clearance held on top of a job.
    also: tuple[str, ...] = ()


# One or two logins per role. Specialists and on-call responders between them read every
# language the demo cases come in, so the console can suggest an assignee for each.
STAFF: tuple[DemoStaff, ...] = (
    DemoStaff("amara", "Amara", Role.SPECIALIST, ("en", "fr")),
    DemoStaff("jonas", "Jonas", Role.SPECIALIST, ("de", "en", "it")),
    DemoStaff("lucia", "Lucía", Role.SPECIALIST, ("es", "pt", "en")),
    DemoStaff("haruto", "Haruto", Role.SPECIALIST, ("ja", "zh", "en")),
    DemoStaff("samira", "Samira", Role.ONCALL, ("ar", "fr", "en")),
    DemoStaff("pavel", "Pavel", Role.ONCALL, ("ru", "en")),
    DemoStaff("mireille", "Mireille", Role.MANAGER, ("fr", "en")),
    DemoStaff("gunnar", "Gunnar", Role.DIRECTOR, ("en", "sv")),
    DemoStaff("adaeze", "Adaeze", Role.DEPT_CHIEF, ("en",)),
    DemoStaff("theo", "Theo", Role.LEGAL_COUNSEL, ("en", "de")),
    DemoStaff("ines", "Inés", Role.LEGAL_COUNSEL, ("en", "es")),
    DemoStaff("kemi", "Kemi", Role.COMMS, ("en",)),
    DemoStaff("rosa", "Rosa", Role.EXECUTIVE, ("en", "es")),
    DemoStaff("irina", "Irina", Role.DISINFO_ANALYST, ("ru", "en")),
    # Case Review Committee volunteers: enough for a panel of three (appeals).
    DemoStaff("heron", "Heron (CRC volunteer)", Role.CRC_MEMBER, ("en",)),
    DemoStaff("wren", "Wren (CRC volunteer)", Role.CRC_MEMBER, ("en", "de")),
    DemoStaff("linden", "Linden (CRC volunteer)", Role.CRC_MEMBER, ("en", "es")),
    DemoStaff("ella", "Ella", Role.AUDITOR, ("en",)),
    DemoStaff("nadia", "Nadia", Role.CHILD_SAFETY, ("en", "fr"), also=(Role.SPECIALIST,)),
    DemoStaff("kai", "Kai", Role.ADMINISTRATOR, ("en",)),
)


@dataclass(frozen=True)
class Wiki:
    dbname: str
    host: str
    name: str


WIKIS: dict[str, Wiki] = {
    "en": Wiki("enwiki", "en.wikipedia.org", "English Wikipedia"),
    "de": Wiki("dewiki", "de.wikipedia.org", "German Wikipedia"),
    "es": Wiki("eswiki", "es.wikipedia.org", "Spanish Wikipedia"),
    "fr": Wiki("frwiki", "fr.wikipedia.org", "French Wikipedia"),
    "ja": Wiki("jawiki", "ja.wikipedia.org", "Japanese Wikipedia"),
    "ar": Wiki("arwiki", "ar.wikipedia.org", "Arabic Wikipedia"),
    "pt": Wiki("ptwiki", "pt.wikipedia.org", "Portuguese Wikipedia"),
    "ru": Wiki("ruwiki", "ru.wikipedia.org", "Russian Wikipedia"),
    "it": Wiki("itwiki", "it.wikipedia.org", "Italian Wikipedia"),
    "zh": Wiki("zhwiki", "zh.wikipedia.org", "Chinese Wikipedia"),
}
COMMONS = Wiki("commonswiki", "commons.wikimedia.org", "Wikimedia Commons")
WIKIDATA = Wiki("wikidatawiki", "www.wikidata.org", "Wikidata")
META = Wiki("metawiki", "meta.wikimedia.org", "Meta-Wiki")
SISTERS = ("wiktionary", "wikisource", "wikiquote", "wikibooks")

# How often reports arrive in each language (relative weights).
LANGUAGE_WEIGHTS: dict[str, int] = {
    "en": 36, "de": 9, "es": 9, "fr": 9, "ja": 7, "ar": 5, "pt": 7, "ru": 7, "it": 6, "zh": 5,
}
LANGUAGE_NAMES = {
    "en": "English", "de": "German", "es": "Spanish", "fr": "French", "ja": "Japanese",
    "ar": "Arabic", "pt": "Portuguese", "ru": "Russian", "it": "Italian", "zh": "Chinese",
}
# Languages whose wikis have many EU-based readers; such cases are often marked eu_nexus.
EU_LANGUAGES = frozenset({"de", "es", "fr", "it", "pt"})

CITIES = {
    "en": ("Manchester", "Nairobi", "Toronto", "Cardiff"),
    "de": ("Leipzig", "Graz", "Bremen"),
    "es": ("Valparaíso", "Sevilla", "Bogotá"),
    "fr": ("Lyon", "Dakar", "Liège"),
    "ja": ("Sendai", "Fukuoka"),
    "ar": ("Amman", "Tunis"),
    "pt": ("Porto", "Recife"),
    "ru": ("Kazan", "Yerevan"),
    "it": ("Bologna", "Torino"),
    "zh": ("Taichung", "Kaohsiung"),
}
TOPICS = (
    "a regional football club", "a municipal election", "a listed railway station", "a pop singer",
    "a border dispute", "a local newspaper", "a religious movement", "a disputed historical battle",
)
COMPANIES = (
    "a cryptocurrency exchange", "a cosmetic surgery clinic", "a property developer",
    "a dietary supplement brand", "an online casino", "a private university",
)
# Fictional rights holders and agencies for DMCA and legal requests.
RIGHTS_HOLDERS = ("Larkspur Stock Imagery", "Ninefold Records", "Bluecoast Film Distribution")
AGENCIES = ("Regional police cybercrime unit", "District prosecutor's office", "Counsel for a civil litigant")

# Wiki usernames: a stem and a tail per language, sometimes followed by digits.
USERNAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], str]] = {
    "en": (("Quiet", "Marsh", "Copper", "Northern", "Amber", "Paper", "Tide", "Oldmap"),
           ("Heron", "Warbler", "Lantern", "Archivist", "Gazetteer", "Inkwell", "Pilgrim"), ""),
    "de": (("Berg", "Nord", "Eichen", "Feld", "Stein", "Heide"),
           ("fink", "lerche", "schreiber", "kartograph", "chronist"), ""),
    "es": (("Colibrí", "Cóndor", "Cartógrafo", "Lector", "Faro"),
           ("Andino", "del Sur", "Austral", "Errante"), " "),
    "fr": (("Hibou", "Plume", "Renard", "Bouquiniste", "Lanterne"),
           ("Bleu", "du Nord", "Rouge", "Curieux"), " "),
    "ja": (("青空", "山桜", "図書", "灯台", "川霧"), ("の記録係", "編集者", "ノート", "文庫"), ""),
    "ar": (("قارئ", "مدقق", "راوي", "كاتب"), ("الصحراء", "النخيل", "المكتبة", "الشمال"), "_"),
    "pt": (("Sabiá", "Ipê", "Leitor", "Farol"), ("Azul", "do Sul", "Errante", "Atlântico"), " "),
    "ru": (("Летописец", "Книжник", "Северный", "Тихий"), ("Волк", "Редактор", "Странник", "Архивист"), " "),
    "it": (("Gufo", "Pennino", "Lanterna", "Viandante"), ("Grigio", "del Nord", "Curioso", "Errante"), " "),
    "zh": (("书虫", "青竹", "小灯塔", "墨迹"), ("编者", "记录员", "读书人", "旅人"), ""),
}
# Accounts that are the subject of reports tend to pick names like these.
SUBJECT_STEMS = ("TruthTeller", "RealFacts", "NoMoreLies", "Watcher", "JusticeFor", "Reverter", "Patriot")

# One sentence quoted from the report in its own language, by theme.
REPORT_QUOTES: dict[str, dict[str, str]] = {
    "harassment": {
        "de": "Seit der Löschdiskussion verfolgt mich dieser Benutzer auf mehreren Projekten und beleidigt mich.",
        "es": "Desde la discusión de borrado, este usuario me sigue por varios proyectos y me insulta.",
        "fr": "Depuis la discussion de suppression, cet utilisateur me suit sur plusieurs projets et m'insulte.",
        "ja": "削除依頼の議論以来、この利用者が複数のプロジェクトで私を追いかけ、侮辱しています。",
        "ar": "منذ نقاش الحذف، يلاحقني هذا المستخدم في عدة مشاريع ويوجه إليّ الإهانات.",
        "pt": "Desde a discussão de eliminação, este usuário me persegue em vários projetos e me insulta.",
        "ru": "После обсуждения удаления этот участник преследует меня в нескольких проектах и оскорбляет.",
        "it": "Dalla discussione di cancellazione, questo utente mi segue su più progetti e mi insulta.",
        "zh": "自从删除讨论之后，这个用户在多个项目中跟踪我并辱骂我。",
    },
    "doxing": {
        "de": "Jemand hat meinen echten Namen und meinen Arbeitgeber in einer Zusammenfassungszeile veröffentlicht.",
        "es": "Alguien publicó mi nombre real y mi lugar de trabajo en un resumen de edición.",
        "fr": "Quelqu'un a publié mon vrai nom et mon employeur dans un résumé de modification.",
        "ja": "誰かが編集要約に私の本名と勤務先を書き込みました。",
        "ar": "نشر أحدهم اسمي الحقيقي ومكان عملي في ملخص تعديل.",
        "pt": "Alguém publicou o meu nome verdadeiro e o meu local de trabalho num sumário de edição.",
        "ru": "Кто-то опубликовал моё настоящее имя и место работы в описании правки.",
        "it": "Qualcuno ha pubblicato il mio vero nome e il mio datore di lavoro in un oggetto di modifica.",
        "zh": "有人在编辑摘要中公开了我的真实姓名和工作单位。",
    },
    "threat": {
        "de": "Jemand hat auf meiner Diskussionsseite geschrieben, dass er weiß, wo ich wohne, und mich besuchen wird.",
        "es": "En mi página de discusión alguien escribió que sabe dónde vivo y que vendrá a buscarme.",
        "fr": "Sur ma page de discussion, quelqu'un écrit qu'il sait où j'habite et qu'il va venir.",
        "ja": "私の会話ページに「住所は知っている、会いに行く」という書き込みがありました。",
        "ar": "كتب أحدهم في صفحة نقاشي أنه يعرف أين أسكن وأنه سيأتي إليّ.",
        "pt": "Alguém escreveu na minha página de discussão que sabe onde eu moro e que vai me procurar.",
        "ru": "На моей странице обсуждения написали, что знают, где я живу, и придут ко мне.",
        "it": "Qualcuno ha scritto nella mia pagina di discussione che sa dove abito e che verrà a cercarmi.",
        "zh": "有人在我的讨论页上写道，他知道我住在哪里，并且会来找我。",
    },
    "vandalism": {
        "de": "Eine IP-Adresse verunstaltet seit Tagen den Artikel über unsere Stadt, bitte sperren.",
        "es": "Una IP lleva días vandalizando el artículo de nuestro pueblo, por favor bloquéenla.",
        "fr": "Une adresse IP vandalise depuis des jours l'article sur notre commune, merci de la bloquer.",
        "ja": "数日前からIPユーザーが私たちの町の記事を荒らしています。ブロックしてください。",
        "ar": "عنوان IP يخرب مقالة مدينتنا منذ أيام، يرجى حظره.",
        "pt": "Um IP está vandalizando o artigo da nossa cidade há dias, por favor bloqueiem.",
        "ru": "Уже несколько дней IP-адрес портит статью о нашем городе, пожалуйста, заблокируйте его.",
        "it": "Da giorni un IP vandalizza la voce sul nostro comune, per favore bloccatelo.",
        "zh": "几天来有一个IP一直在破坏我们城市的条目，请封禁。",
    },
    "copyright": {
        "de": "Mein Foto wurde ohne meine Erlaubnis auf Commons hochgeladen.",
        "es": "Subieron mi fotografía a Commons sin mi permiso.",
        "fr": "Ma photo a été téléversée sur Commons sans mon autorisation.",
        "ja": "私が撮影した写真が許可なくコモンズにアップロードされました。",
        "ar": "رُفعت صورتي إلى كومنز دون إذني.",
        "pt": "A minha fotografia foi carregada no Commons sem a minha autorização.",
        "ru": "Мою фотографию загрузили на Викисклад без моего разрешения.",
        "it": "La mia foto è stata caricata su Commons senza il mio permesso.",
        "zh": "我拍摄的照片未经许可被上传到了维基共享资源。",
    },
    "event": {
        "de": "Beim Stammtisch hat mich ein Teilnehmer wiederholt bedrängt, obwohl ich ihn gebeten hatte aufzuhören.",
        "es": "En el editatón, un participante me hizo comentarios inapropiados aunque le pedí que parara.",
        "fr": "Lors de l'éditathon, un participant m'a fait des remarques déplacées à plusieurs reprises.",
        "ja": "エディタソンで、やめてほしいと頼んだのに、ある参加者に何度も不適切な発言をされました。",
        "ar": "في ماراثون التحرير، وجّه إليّ أحد المشاركين تعليقات غير لائقة مرات عدة رغم أنني طلبت منه التوقف.",
        "pt": "Na editatona, um participante fez comentários inapropriados mesmo depois de eu pedir que parasse.",
        "ru": "На викимарафоне один участник отпускал неуместные замечания, хотя я просила его прекратить.",
        "it": "All'editathon un partecipante mi ha fatto commenti inappropriati anche dopo che gli ho detto basta.",
        "zh": "在编辑松活动上，一名参与者多次对我发表不当言论，尽管我请他停止。",
    },
}


# --- Stories --------------------------------------------------------------------------------

# The usual path of a report the Foundation takes on (DOMAIN §3.2).
INVESTIGATE = ("acknowledge", "triage", "prioritise", "start_investigation")
TRIAGE = ("acknowledge", "triage")


@dataclass(frozen=True)
class Outcome:
    """Where a story goes: the transitions walked from the initial state, and what each records."""

    path: tuple[str, ...]
    weight: int
    data: dict[str, dict[str, str]] = field(default_factory=dict)


def investigated(weight: int) -> Outcome:
    return Outcome(INVESTIGATE, weight)


def deferred(weight: int, venue: str, reply: str, url: str) -> Outcome:
    return Outcome(
        (*TRIAGE, "defer"), weight,
        {"defer": {"routed_to": venue, "routed_url": url, "reply_template": reply}},
    )


def declined(weight: int, reason: str = "{reason}") -> Outcome:
    return Outcome((*TRIAGE, "decline"), weight, {"decline": {"closure_reason": reason}})


def closed_no_action(weight: int, reason: str, after: tuple[str, ...] = INVESTIGATE) -> Outcome:
    return Outcome((*after, "close_no_action"), weight, {"close_no_action": {"closure_reason": reason}})


def reopened(weight: int, reason: str, why: str) -> Outcome:
    """Declined, then reopened by a manager when new information came in."""
    return Outcome(
        (*TRIAGE, "decline", "reopen"), weight,
        {"decline": {"closure_reason": reason}, "reopen": {"reopen_reason": why}},
    )


@dataclass(frozen=True)
class Threat:
    """What the triage of a demo emergency records (emergency.actions.TriageData), and why each
    decision could be reached on it. Templates, like the variant's texts."""

    text: str
    threat_type: str
    target: str
    target_detail: str
    time: str
    place: str
    means: str
    capability: str
    credible: str
    not_credible: str
    insufficient: str


@dataclass(frozen=True)
class FunctionaryDisclosure:
    """What a functionary's report to check-disclosure@ says (emergency.actions.FunctionaryReportData)."""

    role: str
    disclosed_to: str
    exception: str
    data_disclosed: str


@dataclass(frozen=True)
class Variant:
    title: str
    summary: str
    # Why the case was declined or closed, when that depends on the variant.
    reason: str = ""
    # Who sent a legal request, when that depends on the variant (else one of AGENCIES).
    requester: str = ""
    # Emergency stories: the threat as triaged.
    threat: Threat | None = None
    # Functionary disclosure reports: what the report says.
    disclosure: FunctionaryDisclosure | None = None


@dataclass(frozen=True)
class EvidenceSpec:
    kind: str
    # diff | other_diff | revision | log | meta_log | commons_log | file | offwiki | "" (content only)
    link: str
    description: str
    content: str = ""


@dataclass(frozen=True)
class Story:
    key: str
    kind: str
    weight: int
    variants: tuple[Variant, ...]
    outcomes: tuple[Outcome, ...]
    triage_note: str
    notes: tuple[str, ...]
    evidence: tuple[EvidenceSpec, ...]
    priorities: dict[str, int] = field(default_factory=lambda: {Priority.P2: 3, Priority.P3: 1})
    confidentiality: dict[str, int] = field(default_factory=lambda: {Confidentiality.INTERNAL: 1})
    # Named at intake: reporter | reporter_public (email, seldom an account) | subject |
    # subject_ip | requester_rights | requester_agency | requester_affcom. Added during the
    # investigation: affected | witness.
    parties: tuple[str, ...] = ("reporter", "subject")
    theme: str = ""
    channel: str = "ca@wikimedia.org"
    # home | other | commons | wikidata | meta
    projects: tuple[str, ...] = ("home",)
    # Who leads: specialist | oncall | legal | disinfo
    lead: str = "specialist"
    languages: dict[str, int] | None = None


STEWARDS_URL = "https://meta.wikimedia.org/wiki/Steward_requests/Global"
U4C_URL = "https://meta.wikimedia.org/wiki/Universal_Code_of_Conduct/Coordinating_Committee"
VRT_URL = "https://meta.wikimedia.org/wiki/Volunteer_Response_Team"
FRIENDLY_SPACE_URL = "https://meta.wikimedia.org/wiki/Friendly_space_policy"
LOCAL_AN_URL = "https://{site}/wiki/Project:Administrators%27_noticeboard"
OVERSIGHT_URL = "https://meta.wikimedia.org/wiki/Oversight_policy"

DIFF_EVIDENCE = EvidenceSpec(
    EvidenceKind.DIFF, "diff", "The edit reported", "Edit summary and added text as shown in the diff."
)

# --- The emergency track and the rota ------------------------------------------------------

# Where each demo emergency gets to, in the order they are made (so even a small demo has a live
# page on the board), then drawn from EMERGENCY_LATER:
#   received: paged, nobody has acknowledged yet (opened minutes ago: the board's live clocks)
#   triaged: credible and imminent, the location not traced yet
#   awaiting: insufficient information, the reporter was asked for more
#   acknowledged: traced, referred to law enforcement, and they acknowledged it
#   monitored: not credible, closed as monitored, clean-up handed to the wiki's admins
#   disclosed: referred, and user data disclosed voluntarily; Legal has not confirmed it yet
#   closed: referred, acknowledged, followed up, disclosure confirmed by Legal, closed
EMERGENCY_SCENES = ("received", "triaged", "acknowledged", "monitored", "disclosed", "received", "awaiting", "received")
EMERGENCY_LATER = {"closed": 3, "monitored": 3, "triaged": 1}
# How long ago emergencies in each scene were opened (days).
EMERGENCY_AGE_DAYS: dict[str, tuple[float, float]] = {
    "received": (0.003, 0.03),
    "triaged": (0.05, 0.5),
    "awaiting": (0.2, 2.0),
    "acknowledged": (0.1, 1.5),
    "disclosed": (0.05, 0.6),
    "monitored": (1.0, 60.0),
    "closed": (2.0, 90.0),
}

# The countries of CITIES (ISO 3166-1 alpha-2), for location estimates and referrals.
COUNTRY_OF_CITY = {
    "Manchester": "GB", "Nairobi": "KE", "Toronto": "CA", "Cardiff": "GB", "Leipzig": "DE", "Graz": "AT",
    "Bremen": "DE", "Valparaíso": "CL", "Sevilla": "ES", "Bogotá": "CO", "Lyon": "FR", "Dakar": "SN",
    "Liège": "BE", "Sendai": "JP", "Fukuoka": "JP", "Amman": "JO", "Tunis": "TN", "Porto": "PT", "Recife": "BR",
    "Kazan": "RU", "Yerevan": "AM", "Bologna": "IT", "Torino": "IT", "Taichung": "TW", "Kaohsiung": "TW",
}


@dataclass(frozen=True)
class EmergencyTexts:
    """What responders write along the emergency track (templates; `agency` is the referral's)."""

    agency: str
    location_source: str
    referral_note: str
    acknowledged_by: str
    acknowledgement: str
    follow_up: str
    disclosure_detail: str
    closure: str
    information_requested: str
    monitored: str
    handoff: str
    handoff_note: str


EMERGENCY_TEXTS = {
    "self_harm": EmergencyTexts(
        agency="Emergency services in {city}",
        location_source="IP address of the edit (checkuser under the emergency exception), matching the city "
                        "on the user page.",
        referral_note="Asked for a welfare check; gave the message, its time and the likely area.",
        acknowledged_by="Duty officer, emergency call centre",
        acknowledgement="A patrol is on its way for a welfare check; they will call back after the visit.",
        follow_up="Police visited: the editor is safe, with family, and was given the number of a crisis line.",
        disclosure_detail="IP address and user agent of the edit, for the welfare check.",
        closure="Welfare check by emergency services; the editor is safe. The message was oversighted at their "
                "request and crisis line resources sent.",
        information_requested="Asked {reporter} whether they know {subject} off-wiki and have seen other "
                              "messages since.",
        monitored="Not credible on triage; the user page stays on the responders' watchlist for a week.",
        handoff=AdminHandoff.OVERSIGHT,
        handoff_note="Oversighters asked to suppress the message, at the editor's request.",
    ),
    "threat_violence": EmergencyTexts(
        agency="Police in {city}",
        location_source="IP address of the edit (checkuser under the emergency exception) and the account's "
                        "own statements about where it lives.",
        referral_note="Sent the threat, the edit time, and the IP address and user agent behind it.",
        acknowledged_by="Duty sergeant, {city} police control room",
        acknowledgement="Logged as a threat to life; officers assigned and the target will be contacted today.",
        follow_up="Police spoke to the account holder and issued a formal warning; no further contact since.",
        disclosure_detail="IP address and user agent of the edit with the threat.",
        closure="Referred to law enforcement under the threats of harm protocol; police confirmed they followed "
                "up. The account was locked by stewards; no office action needed.",
        information_requested="Asked {reporter} for links to any other messages and whether the account "
                              "contacted them off-wiki.",
        monitored="Not credible on triage; local admins watch the page and report any repeat to emergency@.",
        handoff=AdminHandoff.LOCAL_ADMINS,
        handoff_note="{wiki} admins asked privately to revision-delete the edit and watch the account.",
    ),
}
REFERRAL_METHODS = (ReferralMethod.PHONE, ReferralMethod.PHONE, ReferralMethod.PORTAL, ReferralMethod.EMAIL)

# Functionary disclosure reports: the first one the demo makes came in late (DOMAIN §13.3).
ON_TIME_REASON = "Disclosure within the access policy's exceptions and reported in time; logged."
LATE_REASON = (
    "The exception applies, but the report came {late_days} days after the disclosure, past the 10 days "
    "the policy allows; the functionary was reminded of the deadline."
)

# The on-call rota: twelve-hour shifts from 06:00 and 18:00 UTC, the responders taking turns as
# primary and secondary (escalation), and the manager on the fallback list. (username, time zone)
ROTA_RESPONDERS = (("samira", "Africa/Tunis"), ("pavel", "Asia/Yerevan"))
ROTA_KEEPER = "mireille"
ROTA_SHIFT_HOURS = 12
ROTA_DAYS = 7


STORIES: tuple[Story, ...] = (
    Story(
        "crosswiki_harassment", CaseKind.GENERAL, 12,
        variants=(
            Variant(
                "Cross-wiki hounding of an editor after a deletion discussion on {wiki}",
                "{reporter} reports that since a deletion discussion on {wiki_name} closed against {subject}, "
                "that account and at least {n} likely sockpuppets have followed them to Commons and Wikidata, "
                "reverting their edits and commenting on their appearance and family. Local admins blocked one "
                "account; the others keep appearing on small wikis without active admins.",
            ),
            Variant(
                "Sockpuppets following a {wiki} editor to {other_wiki}",
                "New accounts created within minutes of each other revert every edit {reporter} makes on "
                "{other_wiki} and leave messages referring to their {wiki} user page. {reporter} has stopped "
                "editing on {other_wiki} and asks whether the Foundation can act across projects.",
            ),
            Variant(
                "Harassment of a {wiki} admin by a blocked user across {n} wikis",
                "After {subject} was blocked on {wiki_name}, the admin who placed the block ({reporter}) has "
                "received abusive messages on talk pages of {n} other wikis and an email through "
                "Special:EmailUser mentioning their home town.",
            ),
        ),
        outcomes=(
            investigated(5),
            deferred(4, Venue.STEWARDS, ReplyTemplate.DEFER_GLOBAL, STEWARDS_URL),
            deferred(1, Venue.U4C, ReplyTemplate.DEFER_U4C, U4C_URL),
            closed_no_action(
                2, "Behaviour stopped after stewards locked the accounts; no new accounts in 30 days. "
                   "Case notes kept in case it resumes.",
            ),
            reopened(
                1, "Single-wiki matter with a functioning local process; reporter pointed to the local noticeboard.",
                "Reporter sent new diffs showing the same accounts on two more wikis after the local block.",
            ),
        ),
        triage_note="Cross-wiki pattern confirmed from global contributions; not handled by one local community.",
        notes=(
            "Pulled global contributions for the named accounts: {n} wikis, same editing pattern and the "
            "same hours as the reporter's edits.",
            "Stewards locked two earlier accounts for the same behaviour; new accounts keep appearing.",
            "Wrote to the reporter: asked for permission to contact local checkusers on {wiki}.",
            "Interaction timeline drafted ({n} incidents since the deletion discussion).",
        ),
        evidence=(
            EvidenceSpec(
                EvidenceKind.DIFF, "diff", "Revert with abusive edit summary", "Edit summary: “rv — still here?”"
            ),
            EvidenceSpec(EvidenceKind.DIFF, "other_diff", "Message on the reporter's talk page on the other wiki"),
            EvidenceSpec(EvidenceKind.LOG_ENTRY, "log", "Local block log entry for the first account"),
        ),
        priorities={Priority.P1: 2, Priority.P2: 3},
        parties=("reporter", "subject", "affected"),
        theme="harassment",
        projects=("home", "other", "commons"),
    ),
    Story(
        "local_dispute", CaseKind.GENERAL, 9,
        variants=(
            Variant(
                "Edit war and personal attacks on a {wiki} talk page",
                "{reporter} and {subject} have been reverting each other on an article about {topic} for two "
                "weeks; {reporter} reports insults on the talk page. Both are active on {wiki_name} only.",
            ),
            Variant(
                "Complaint about a local admin's block on {wiki}",
                "{reporter} was blocked for one week on {wiki_name} and considers the block unfair. They ask the "
                "Foundation to overturn it.",
                "T&S is not an appeal venue for local admin decisions; the block can be appealed on {wiki}.",
            ),
            Variant(
                "Request to lift a topic ban on {wiki}",
                "{reporter} asks the Foundation to lift a topic ban on articles about {topic} imposed by the "
                "{wiki_name} community.",
                "Community sanction; T&S does not review community decisions. Pointed to the local appeal process.",
            ),
        ),
        outcomes=(
            deferred(6, Venue.LOCAL_ADMINS, ReplyTemplate.DEFER_LOCAL, LOCAL_AN_URL),
            deferred(1, Venue.ARBCOM, ReplyTemplate.DEFER_LOCAL, "https://{site}/wiki/Project:Arbitration"),
            declined(2, "Single-wiki dispute with a functioning local process; no safety issue."),
        ),
        triage_note="Single-wiki dispute; the local community has functioning processes.",
        notes=("Checked the talk page: heated but no threats or private information.",),
        evidence=(DIFF_EVIDENCE,),
        priorities={Priority.P3: 3, Priority.P2: 1},
        theme="harassment",
    ),
    Story(
        "doxing", CaseKind.GENERAL, 7,
        variants=(
            Variant(
                "Doxing: real name and employer of an editor posted in an edit summary on {wiki}",
                "{subject} added {reporter}'s legal name and employer to an edit summary on an article about "
                "{topic}. The summary was visible for about {n} hours before an admin revision-deleted it.",
            ),
            Variant(
                "Home address of a {wiki} admin posted on an off-wiki forum",
                "A thread on an off-wiki forum gives the home address of {reporter}, a {wiki_name} admin, and "
                "is linked from a {wiki} user page created today.",
            ),
        ),
        outcomes=(
            deferred(5, Venue.OVERSIGHT, ReplyTemplate.DEFER_GLOBAL, OVERSIGHT_URL),
            investigated(3),
            closed_no_action(
                1, "Edits suppressed by oversighters; the forum thread was removed by its host. "
                   "No further disclosures in two weeks.",
            ),
        ),
        triage_note="Private information: asked oversighters to suppress first, then assess the off-wiki part.",
        notes=(
            "Oversighters on {wiki} suppressed the revisions within the hour.",
            "The forum thread is still up; wrote to the host's abuse contact.",
            "Reporter is shaken; sent the safety resources page and offered a call.",
        ),
        evidence=(
            EvidenceSpec(EvidenceKind.DIFF, "diff", "Edit with the personal details (now suppressed)"),
            EvidenceSpec(EvidenceKind.OFFWIKI_URL, "offwiki", "Forum thread with the address"),
        ),
        priorities={Priority.P1: 3, Priority.P2: 1},
        parties=("reporter", "subject"),
        theme="doxing",
        projects=("home",),
    ),
    Story(
        "vandalism", CaseKind.GENERAL, 7,
        variants=(
            Variant(
                "Persistent vandalism on a town article on {wiki}",
                "{reporter} reports that an IP range has replaced the article on their town with insults "
                "{n} times this week and asks the Foundation to block it.",
            ),
            Variant(
                "IP range vandalising football articles on {wiki}",
                "Dozens of edits from one IPv6 range insert fake transfer news into articles about "
                "{topic}. {reporter} asks for a range block.",
            ),
            Variant(
                "Request to protect a page under repeated vandalism on {wiki}",
                "{reporter} asks the Foundation to protect an article about {topic} after repeated vandalism.",
            ),
        ),
        outcomes=(
            deferred(6, Venue.LOCAL_ADMINS, ReplyTemplate.DEFER_LOCAL, LOCAL_AN_URL),
            deferred(2, Venue.STEWARDS, ReplyTemplate.DEFER_GLOBAL, "https://meta.wikimedia.org/wiki/Global_sysops"),
            declined(1, "Ordinary vandalism, already reverted and blocked by local admins before triage."),
        ),
        triage_note="Ordinary vandalism: local admins (or global sysops on small wikis) handle blocks and protection.",
        notes=("Vandalism already reverted; range is {ip}.",),
        evidence=(DIFF_EVIDENCE,),
        priorities={Priority.P3: 4, Priority.P2: 1},
        parties=("reporter_public", "subject_ip"),
        theme="vandalism",
        channel="web form",
    ),
    Story(
        "vrt_copyright", CaseKind.GENERAL, 4,
        variants=(
            Variant(
                "Informal copyright complaint about a photo on Commons",
                "A photographer writes that a photo of theirs was uploaded to Commons by {subject} without "
                "permission and is used on {wiki_name}. No formal DMCA notice.",
            ),
            Variant(
                "Author says their text was copied into a {wiki} article without attribution",
                "An author reports that two paragraphs of their blog were copied into an article about {topic}.",
            ),
        ),
        outcomes=(
            deferred(5, Venue.VRT, ReplyTemplate.DEFER_GLOBAL, VRT_URL),
            declined(1, "The reporter sent a formal DMCA notice the next day; handled as a DMCA case."),
        ),
        triage_note="Informal copyright complaint: the Volunteer Response Team handles these.",
        notes=("Pointed the reporter to the VRT address and the Commons deletion request process.",),
        evidence=(EvidenceSpec(EvidenceKind.REVISION, "file", "File page on Commons"),),
        priorities={Priority.P3: 3, Priority.P2: 1},
        parties=("reporter_public", "subject"),
        theme="copyright",
        projects=("commons", "home"),
    ),
    Story(
        "paid_editing", CaseKind.GENERAL, 4,
        variants=(
            Variant(
                "Undisclosed paid editing on articles about {company} on {wiki}",
                "{n} new accounts have created and polished articles about {company} and its founders; a "
                "freelance marketplace listing offers “guaranteed Wikipedia pages” with screenshots of them.",
            ),
            Variant(
                "Marketplace advert offering paid articles on {wiki}",
                "{reporter} forwards an advert selling articles on {wiki_name}, with a portfolio of live "
                "articles. The accounts do not disclose payment as the Terms of Use require.",
            ),
        ),
        outcomes=(
            investigated(3),
            deferred(2, Venue.LOCAL_ADMINS, ReplyTemplate.DEFER_LOCAL, LOCAL_AN_URL),
            deferred(1, Venue.STEWARDS, ReplyTemplate.DEFER_GLOBAL, STEWARDS_URL),
        ),
        triage_note="Possible Terms of Use paid-contribution violation across accounts; checking scale first.",
        notes=(
            "Listing archived; {n} articles in the portfolio match the accounts' creations.",
            "Local checkusers confirm the accounts are related.",
        ),
        evidence=(
            EvidenceSpec(EvidenceKind.OFFWIKI_URL, "offwiki", "Marketplace listing (archived)"),
            EvidenceSpec(EvidenceKind.REVISION, "revision", "Article as created by the first account"),
        ),
        parties=("reporter", "subject"),
        projects=("home", "wikidata"),
    ),
    Story(
        "offwiki_coordination", CaseKind.GENERAL, 4,
        variants=(
            Variant(
                "Off-wiki coordination on a chat server to target {wiki} editors",
                "Screenshots from a chat server show {n} members planning mass reports and reverts against "
                "named {wiki_name} editors who work on articles about {topic}.",
            ),
            Variant(
                "Canvassing from a private group into {wiki} votes",
                "{reporter} reports that a private messaging group recruits members to vote in deletion "
                "discussions and admin elections on {wiki_name}, and posts editors' photos.",
            ),
        ),
        outcomes=(
            investigated(3),
            deferred(2, Venue.U4C, ReplyTemplate.DEFER_U4C, U4C_URL),
        ),
        triage_note="Off-wiki conduct with information that cannot be shared on-wiki; needs T&S review.",
        notes=(
            "Matched {n} chat handles to wiki accounts by timing and wording.",
            "Asked the reporter how the screenshots were obtained, and whether they may be shared with the U4C.",
        ),
        evidence=(
            EvidenceSpec(EvidenceKind.OFFWIKI_URL, "offwiki", "Chat server invite page"),
            EvidenceSpec(EvidenceKind.STATEMENT, "", "Reporter's description of the screenshots",
                         "Screenshots received by email; held by the reporter, descriptions only here."),
        ),
        priorities={Priority.P1: 1, Priority.P2: 3},
        parties=("reporter", "subject", "witness"),
        projects=("home", "meta"),
    ),
    Story(
        "event_conduct", CaseKind.GENERAL, 4,
        variants=(
            Variant(
                "Conduct complaint from an edit-a-thon in {city}",
                "A participant reports repeated unwanted comments from another attendee at an edit-a-thon in "
                "{city}. The organisers were told on the day.",
            ),
            Variant(
                "Unwanted contact after a community meetup in {city}",
                "After a meetup in {city}, an attendee kept messaging {reporter} on several platforms after "
                "being asked to stop.",
            ),
        ),
        outcomes=(
            deferred(4, Venue.EVENT_ORGANISERS, ReplyTemplate.DEFER_EVENT, FRIENDLY_SPACE_URL),
            deferred(1, Venue.U4C, ReplyTemplate.DEFER_U4C, U4C_URL),
            investigated(2),
        ),
        triage_note="In-person event: the organisers' friendly-space process first; event ban if it recurs.",
        notes=(
            "Spoke with the event's safe-space contact; they confirm a warning was given on the day.",
            "The same attendee is registered for the regional conference next month.",
        ),
        evidence=(EvidenceSpec(EvidenceKind.STATEMENT, "", "Participant's written account",
                               "Statement received by email the day after the event."),),
        parties=("reporter_public", "subject", "witness"),
        theme="event",
        projects=("meta",),
    ),
    Story(
        "threat_in_report", CaseKind.GENERAL, 2,
        variants=(
            Variant(
                "Threat found in a report about a content dispute on {wiki}",
                "A report about an edit war on {wiki_name} quotes a message from {subject} threatening to "
                "“come and find” {reporter}.",
            ),
        ),
        outcomes=(
            declined(1, "Threat of harm: forwarded to emergency@ under the threats of harm protocol and handled "
                        "there; the content dispute itself is for the local community."),
        ),
        triage_note="Contains a threat of physical harm: emergency track.",
        notes=("Emergency case opened and the on-call responder paged.",),
        evidence=(DIFF_EVIDENCE,),
        priorities={Priority.P1: 1},
        theme="threat",
    ),
    Story(
        "lta", CaseKind.GENERAL, 3,
        variants=(
            Variant(
                "Long-term abuser creating accounts across small wikis",
                "A known long-term abuser has created {n} accounts this month on wikis without local admins, "
                "each posting the same attack page about {reporter}.",
            ),
            Variant(
                "Spambot network on {n} small wikis",
                "{reporter} reports a network of accounts adding casino links on {n} small wikis.",
            ),
        ),
        outcomes=(
            deferred(4, Venue.STEWARDS, ReplyTemplate.DEFER_GLOBAL, STEWARDS_URL),
            investigated(1),
        ),
        triage_note="Global lock and global blocks are for stewards; T&S only if a global ban is needed.",
        notes=("Stewards locked {n} accounts; added the pattern to the abuse filter request.",),
        evidence=(EvidenceSpec(EvidenceKind.LOG_ENTRY, "meta_log", "Global account log entry"),),
        priorities={Priority.P2: 2, Priority.P3: 1},
        parties=("reporter", "subject"),
        projects=("meta", "other"),
    ),
    Story(
        "ucoc_systemic", CaseKind.GENERAL, 2,
        variants=(
            Variant(
                "Allegation that {wiki} admins ignore harassment reports",
                "{reporter} says that reports of harassment on {wiki_name} are closed without action when they "
                "concern long-standing editors, and gives {n} examples.",
            ),
            Variant(
                "Complaint about a local ArbCom's handling of a UCoC case on {wiki}",
                "{reporter} believes the local Arbitration Committee did not apply the Universal Code of Conduct.",
            ),
        ),
        outcomes=(
            deferred(3, Venue.U4C, ReplyTemplate.DEFER_U4C, U4C_URL),
            declined(1, "Disagreement with a local decision, not a systemic failure; pointed to the local appeal."),
        ),
        triage_note="Allegation of systemic failure of a local process: U4C scope.",
        notes=("Reviewed the {n} examples: the reports were answered, though slowly.",),
        evidence=(EvidenceSpec(EvidenceKind.REVISION, "revision", "Noticeboard archive"),),
        priorities={Priority.P3: 1, Priority.P2: 1},
        parties=("reporter",),
    ),
    Story(
        "out_of_scope", CaseKind.GENERAL, 4,
        variants=(
            Variant(
                "Request to remove an unflattering section of a biography on {wiki}",
                "The subject of a biography asks the Foundation to delete a sourced section about a court case.",
                "Content dispute: pointed to the article talk page and the biography noticeboard.",
            ),
            Variant(
                "Complaint about the neutrality of an article on {topic}",
                "{reporter} says an article on {wiki_name} is biased and asks the Foundation to rewrite it.",
                "The Foundation does not edit content; pointed to the talk page and dispute resolution.",
            ),
            Variant(
                "User asks why their draft about {company} was deleted on {wiki}",
                "{reporter} asks why their draft was deleted and wants it restored.",
                "Deletion by the local community; pointed to the deletion review process.",
            ),
        ),
        outcomes=(declined(1),),
        triage_note="No safety or legal issue; community matter.",
        notes=(),
        evidence=(),
        priorities={Priority.P3: 1},
        parties=("reporter_public",),
        channel="web form",
    ),
    Story(
        "impersonation", CaseKind.GENERAL, 2,
        variants=(
            Variant(
                "Account impersonating an affiliate's board member on Meta",
                "An account using the name and photo of a board member of a user group in {city} is asking "
                "volunteers for money.",
            ),
            Variant(
                "Username impersonating a well-known {wiki} admin",
                "{subject} was registered with a name one character away from {reporter}'s and posts in their style.",
            ),
        ),
        outcomes=(
            deferred(3, Venue.STEWARDS, ReplyTemplate.DEFER_GLOBAL, STEWARDS_URL),
            deferred(1, Venue.LOCAL_ADMINS, ReplyTemplate.DEFER_LOCAL, LOCAL_AN_URL),
        ),
        triage_note="Impersonation: global lock by stewards.",
        notes=("Stewards locked the account within the hour.",),
        evidence=(EvidenceSpec(EvidenceKind.LOG_ENTRY, "meta_log", "Account creation log"),),
        parties=("reporter", "subject"),
        projects=("meta",),
    ),
    # --- Emergency (threats of harm protocol, DOMAIN §5) ---
    # Emergencies walk their own track (emergency/workflows.py): the `demo` command takes each one
    # to the next of EMERGENCY_SCENES through the emergency actions, so their outcomes are unused.
    Story(
        "self_harm", CaseKind.EMERGENCY, 4,
        variants=(
            Variant(
                "Editor posted a goodbye message suggesting self-harm on {wiki}",
                "{subject} posted a message on their user page on {wiki_name} saying goodbye and that they "
                "would not be around much longer. Reported by {reporter} through Special:EmailUser/Emergency.",
                threat=Threat(
                    "Goodbye everyone. I won't be around much longer. Thank you for the years of editing together.",
                    ThreatType.SELF_HARM, ThreatTarget.SELF,
                    "{subject}, who wrote the message", "“Not around much longer”: soon, no date given",
                    "Not stated; the edit's IP address points to {city}", "Not stated",
                    "Earlier posts mention a recent loss and weeks without sleep",
                    "A farewell with no way back named, right after posts about a loss: treated as imminent.",
                    "The editor explained within the hour that they are retiring from editing, not in danger, "
                    "and confirmed it by email.",
                    "An ambiguous farewell with no time or means and no earlier worrying posts.",
                ),
            ),
            Variant(
                "Self-harm statement in a {wiki} deletion discussion",
                "During a deletion discussion on {wiki_name}, {subject} wrote that they intend to hurt "
                "themselves tonight.",
                threat=Threat(
                    "If this gets deleted I'm done. I will hurt myself tonight and nobody here will care.",
                    ThreatType.SELF_HARM, ThreatTarget.SELF,
                    "{subject}, who wrote the message", "Tonight", "Not stated; the user page says {city}",
                    "Not stated", "Says they are alone this week",
                    "Explicit intent and a time (“tonight”): treated as credible and imminent.",
                    "Written in anger and retracted ten minutes later; a friend of the editor confirmed they "
                    "are safe and with family.",
                    "Deleted by its author before anyone could ask; no time or place, no history.",
                ),
            ),
        ),
        outcomes=(),
        triage_note="Credible self-harm statement: on-call takes it now.",
        notes=(
            "Message oversighted at the editor's request; the reporter was thanked and told we are on it.",
            "Crisis line resources sent to the editor in their language.",
        ),
        evidence=(EvidenceSpec(EvidenceKind.REVISION, "revision", "User page with the message"),),
        priorities={Priority.P0: 1},
        parties=("reporter", "subject"),
        channel="emergency@wikimedia.org",
        lead="oncall",
    ),
    Story(
        "threat_violence", CaseKind.EMERGENCY, 5,
        variants=(
            Variant(
                "Threat of violence against an editor posted on {wiki}",
                "{subject} wrote on {reporter}'s talk page that they know where {reporter} lives and will "
                "“pay a visit”, naming the neighbourhood.",
                threat=Threat(
                    "I know where you live in {city}. I'll pay you a visit and we'll see how brave you are then.",
                    ThreatType.PHYSICAL_PERSON, ThreatTarget.NAMED_PERSON,
                    "{reporter}, an editor on {wiki_name}", "Not given",
                    "{reporter}'s neighbourhood in {city}, named in the message", "Not given",
                    "The neighbourhood named is right; the account followed {reporter} across {n} articles",
                    "Names the neighbourhood correctly and follows weeks of hounding: credible, acted on now.",
                    "A stock insult the account has posted on {n} talk pages; it names no real place.",
                    "No place or time; the account is new and has no other edits.",
                ),
            ),
            Variant(
                "Threat against a school in an edit to {wiki}",
                "An IP edit to the article on a school in {city} announces an attack “on Monday”.",
                threat=Threat(
                    "Monday the whole school will learn. Bring everyone, it will be the last assembly.",
                    ThreatType.PUBLIC_HARM, ThreatTarget.PLACE,
                    "A school in {city} and the people in it", "“On Monday”",
                    "The school the article is about, in {city}", "Not named",
                    "The same IP range vandalised the article twice this month",
                    "A named place and day: treated as credible and imminent whatever the means.",
                    "Lyrics from a song quoted in an edit war over the article; the same text appears "
                    "in its history for years.",
                    "An IP edit with no place but the article's subject; asked the reporter what else they saw.",
                ),
            ),
            Variant(
                "Threat against a Wikimedia office in a vandal edit",
                "A vandal edit on {wiki_name} threatens staff at a Wikimedia office.",
                threat=Threat(
                    "The staff at the Wikimedia office will regret deleting my article. I'll come with "
                    "something they won't forget.",
                    ThreatType.PHYSICAL_PERSON, ThreatTarget.GROUP,
                    "Staff at a Wikimedia office", "Not given", "A Wikimedia office", "“Something they won't forget”",
                    "None shown; the account was blocked yesterday for spamming",
                    "Names the office and a grievance; building security and police informed.",
                    "Bluster from a blocked spammer with no means or date; the account is globally locked.",
                    "No date or means; the account's owner is unknown.",
                ),
            ),
        ),
        outcomes=(),
        triage_note="Specific threat with a place: law-enforcement referral now.",
        notes=(
            "Edit suppressed; IP and user agent kept for the referral only.",
            "Reporter thanked and told that the police may contact them.",
        ),
        evidence=(EvidenceSpec(EvidenceKind.DIFF, "diff", "Edit with the threat (suppressed)"),),
        priorities={Priority.P0: 1},
        parties=("reporter", "subject"),
        theme="threat",
        channel="emergency@wikimedia.org",
        lead="oncall",
    ),
    # --- Office action investigations (DOMAIN §4, §7, §8) ---
    Story(
        "ban_investigation", CaseKind.OFFICE_ACTION, 6,
        variants=(
            Variant(
                "Global ban investigation: sustained harassment across {n} wikis",
                "Investigation into {subject}, reported by several editors for years of harassment on {n} wikis, "
                "including contacting an editor's employer.",
            ),
            Variant(
                "Event ban request after misconduct at community events",
                "Organisers of two events in {city} report that {subject} harassed participants at both, "
                "despite warnings.",
            ),
            Variant(
                "Investigation: off-wiki stalking of a {wiki} functionary",
                "A {wiki_name} checkuser reports being followed on social media and receiving messages about "
                "their family from accounts linked to {subject}.",
            ),
        ),
        outcomes=(
            investigated(5),
            closed_no_action(
                2, "Evidence did not meet the threshold for a ban; the local ArbCom issued a conduct warning. "
                   "Case notes retained in case of further reports.",
            ),
        ),
        triage_note="Possible office action: cross-wiki and off-wiki, with information that cannot be shared.",
        notes=(
            "Interviewed {n} affected editors; statements on file.",
            "Draft evidence summary circulated to the manager.",
            "Checked for earlier office actions against the account: none.",
            "Subject's global contributions exported for the review packet.",
        ),
        evidence=(
            EvidenceSpec(EvidenceKind.DIFF, "diff", "Message to an affected editor"),
            EvidenceSpec(EvidenceKind.DIFF, "other_diff", "Comment on the other wiki"),
            EvidenceSpec(EvidenceKind.STATEMENT, "", "Statement from an affected editor",
                         "Written statement received by email, identity verified by reply."),
        ),
        priorities={Priority.P1: 2, Priority.P2: 2},
        confidentiality={Confidentiality.INTERNAL: 6, Confidentiality.RESTRICTED: 1},
        parties=("reporter", "subject", "affected", "witness"),
        projects=("home", "other", "meta"),
    ),
    # --- Statutory tracks ---
    Story(
        "dmca", CaseKind.DMCA, 5,
        variants=(
            Variant(
                "DMCA takedown notice: stock photographs on Commons",
                "{rights_holder} sent a DMCA notice for {n} photographs uploaded to Commons by {subject}, used "
                "on articles in several languages.",
            ),
            Variant(
                "DMCA notice for a film still used on {wiki}",
                "{rights_holder} claims copyright in a still from a film used in the article about it on "
                "{wiki_name}.",
            ),
            Variant(
                "DMCA notice covering song lyrics quoted on {wiki}",
                "{rights_holder} asks for removal of lyrics quoted in full in an article on {wiki_name}.",
            ),
        ),
        outcomes=(
            investigated(3),
            declined(2, "Notice incomplete: no statement under penalty of perjury and the works are not "
                        "identified; requester told what is missing."),
            closed_no_action(1, "Work published in 1925, public domain in the US; notice rejected with reasons."),
        ),
        triage_note="Formal DMCA notice; checking that it has every required element.",
        notes=(
            "Notice has the required elements; files identified.",
            "Uploader notified on their Commons talk page.",
        ),
        evidence=(EvidenceSpec(EvidenceKind.REVISION, "file", "File page as it was when the notice came in"),),
        priorities={Priority.P2: 3, Priority.P1: 1},
        confidentiality={Confidentiality.INTERNAL: 3, Confidentiality.LEGAL_PRIVILEGED: 1},
        parties=("requester_rights", "subject"),
        channel="legal@wikimedia.org",
        projects=("commons", "home"),
        lead="legal",
        languages={"en": 6, "de": 1, "fr": 1, "es": 1, "ja": 1},
    ),
    Story(
        "legal_request", CaseKind.LEGAL_REQUEST, 4,
        variants=(
            Variant(
                "Subpoena for account data from a civil litigant",
                "{agency} served a subpoena for the IP addresses of {subject}, who edited an article about "
                "{company}.",
                "Not valid process in the US; requester told about the letters rogatory route. No data disclosed.",
                "Counsel for a civil litigant",
            ),
            Variant(
                "Emergency disclosure request about a threat posted on {wiki}",
                "{agency} asks for data about {subject}, who posted a threat on {wiki_name}, citing an emergency.",
                "Emergency criteria not met on the facts given; requester asked for valid legal process.",
                "Regional police cybercrime unit",
            ),
            Variant(
                "Foreign court order to remove a section of an article on {wiki}",
                "{agency} sends a court order requiring removal of a section of an article about {topic}.",
                "Order not enforceable against the Foundation; recorded in the applicable-law log.",
                "Claimant's lawyers, for a district court",
            ),
        ),
        outcomes=(
            investigated(3),
            declined(2),
        ),
        triage_note="Legal process: Legal reviews validity before anything else.",
        notes=(
            "Sent to Legal for a validity review.",
            "Checked the data retention window: the IP data asked for is older than 90 days.",
        ),
        evidence=(
            EvidenceSpec(EvidenceKind.EMAIL, "", "The request as received", "PDF attached to the email; hash kept."),
        ),
        priorities={Priority.P1: 1, Priority.P2: 2},
        confidentiality={Confidentiality.LEGAL_PRIVILEGED: 4, Confidentiality.INTERNAL: 1},
        parties=("requester_agency", "subject"),
        channel="legal@wikimedia.org",
        lead="legal",
    ),
    Story(
        "child_protection", CaseKind.CHILD_PROTECTION, 3,
        variants=(
            Variant(
                "Report of an image of a minor uploaded to Commons: hash-only handling",
                "A reporter flags a file on Commons as possibly depicting a minor in a sexualised way. The file "
                "was deleted by an admin; only its hash and upload metadata are held here.",
            ),
            Variant(
                "Adult editor seeking private contact with a minor on {wiki}",
                "{reporter} reports that {subject} repeatedly asked a young editor for their messaging handle "
                "and photos.",
            ),
            Variant(
                "Minor editor sharing their home address and school on {wiki}",
                "An editor who says they are 13 posted their address and school on their user page.",
            ),
        ),
        outcomes=(
            investigated(3),
            closed_no_action(
                1, "Personal information oversighted and the user page blanked; the editor and a parent were "
                   "given safety guidance. No office action needed.",
            ),
        ),
        triage_note="Child protection: restricted handling, Legal informed.",
        notes=(
            "File deleted and suppressed; hash recorded for matching. Legal preparing the report.",
            "Oversight request completed on {wiki}.",
        ),
        evidence=(EvidenceSpec(EvidenceKind.LOG_ENTRY, "commons_log", "Deletion log entry (file not held)",
                               "Hash and upload metadata only; the file itself is not held in Safetydesk."),),
        priorities={Priority.P0: 1, Priority.P1: 2},
        confidentiality={Confidentiality.CHILD_SAFETY: 3, Confidentiality.RESTRICTED: 1},
        parties=("reporter", "subject"),
        channel="legal-reports@wikimedia.org",
        projects=("commons", "home"),
    ),
    Story(
        "disinformation", CaseKind.DISINFORMATION, 3,
        variants=(
            Variant(
                "Coordinated editing on election articles on {wiki}",
                "{n} accounts created the same week insert identical claims into articles about an upcoming "
                "election, citing the same three newly registered news sites.",
            ),
            Variant(
                "Identical talking points inserted across {n} wikis",
                "Editors on several language editions see the same paragraph about {topic}, machine-translated, "
                "added within hours by different accounts.",
            ),
        ),
        outcomes=(
            investigated(3),
            deferred(1, Venue.STEWARDS, ReplyTemplate.DEFER_GLOBAL, STEWARDS_URL),
        ),
        triage_note="Possible coordinated campaign: disinformation team assesses against the attribution model.",
        notes=(
            "Indicators logged: registration dates, shared sources, edit timing.",
            "Local admins on {wiki} informed; they are watching the articles.",
        ),
        evidence=(
            EvidenceSpec(EvidenceKind.DIFF, "diff", "Inserted paragraph"),
            EvidenceSpec(EvidenceKind.DIFF, "other_diff", "Same paragraph on another wiki"),
        ),
        parties=("reporter", "subject"),
        projects=("home", "other", "wikidata"),
        lead="disinfo",
    ),
    Story(
        "appeal", CaseKind.APPEAL, 2,
        variants=(
            Variant(
                "Appeal of a global ban from {year}: eligibility for CRC review",
                "{subject} appeals the global ban placed in {year}, saying the evidence was misread.",
                "Not eligible: the appeal window has passed and no new information was given.",
            ),
            Variant(
                "Appeal of an event ban by the banned party",
                "{subject} appeals an event ban and asks to attend the conference in {city}.",
                "Not eligible: event bans of this length are not open to appeal under the policy.",
            ),
        ),
        outcomes=(investigated(2), declined(1)),
        triage_note="Appeal received: Legal to decide eligibility for the Case Review Committee.",
        notes=("Original case file located; redacted copy being prepared for the CRC.",),
        evidence=(),
        parties=("subject",),
        channel="appeals@wikimedia.org",
        lead="legal",
    ),
    Story(
        "access_request", CaseKind.ACCESS_REQUEST, 3,
        variants=(
            Variant(
                "Nonpublic data agreement: new checkuser on {wiki}",
                "{reporter} was elected checkuser on {wiki_name} and must sign the confidentiality agreement "
                "before the rights are granted.",
            ),
            Variant(
                "Staff rights request: temporary interface-editor rights for an engineer",
                "A Foundation engineer needs global interface-editor rights for {n} weeks to deploy a gadget fix.",
            ),
            Variant(
                "Confidentiality agreement for a new VRT agent",
                "{reporter} joins the Volunteer Response Team queue and needs the agreement recorded.",
            ),
        ),
        outcomes=(
            Outcome(("acknowledge", "triage", "prioritise"), 2),
            closed_no_action(1, "Request withdrawn by the candidate.", after=TRIAGE),
        ),
        triage_note="Routine access request; checking the agreement and the age requirement.",
        notes=("Agreement signature received; noticeboard entry to be added when rights are granted.",),
        evidence=(),
        priorities={Priority.P3: 2, Priority.P2: 1},
        parties=("reporter",),
        projects=("meta",),
    ),
    Story(
        "affiliate_screening", CaseKind.AFFILIATE_SCREENING, 2,
        variants=(
            Variant(
                "Screening of contacts for a proposed user group in {city}",
                "The Affiliations Committee asks T&S to screen the {n} listed contacts of a proposed user group.",
            ),
            Variant(
                "AffCom check: board candidates of a thematic organisation",
                "AffCom asks whether any board candidate of a thematic organisation has T&S history.",
            ),
        ),
        outcomes=(
            investigated(1),
            closed_no_action(1, "No T&S concerns about the listed contacts; AffCom informed.", after=TRIAGE),
        ),
        triage_note="Screening request from AffCom.",
        notes=("Checked the contacts against the global ban list and event ban list: no matches.",),
        evidence=(),
        priorities={Priority.P3: 1},
        parties=("requester_affcom",),
        projects=("meta",),
    ),
    Story(
        "disclosure_report", CaseKind.DISCLOSURE_REPORT, 2,
        variants=(
            Variant(
                "Checkuser disclosure to a university's IT office about {subject}",
                "A checkuser on {wiki_name} reports disclosing the IP range used by {subject} to a university's "
                "IT office to stop ongoing abuse (exception: abuse complaint to a service provider).",
                ON_TIME_REASON,
                disclosure=FunctionaryDisclosure(
                    FunctionaryRole.CHECKUSER, "The IT security office of a university in {city}",
                    DisclosureException.ISP,
                    "The IP range {ip} used by {subject}, with the times of {n} abusive edits.",
                ),
            ),
            Variant(
                "Oversighter disclosure to police after a threat on {wiki}",
                "An oversighter reports disclosing the IP address behind a threat on {wiki_name} to the police "
                "(exception: imminent threat to life).",
                ON_TIME_REASON,
                disclosure=FunctionaryDisclosure(
                    FunctionaryRole.OVERSIGHTER, "Police in {city}", DisclosureException.THREAT,
                    "The IP address and time of the suppressed edit with the threat, and the account name.",
                ),
            ),
        ),
        outcomes=(closed_no_action(2, "{reason}", after=TRIAGE),),
        triage_note="Functionary disclosure report: checked against the access policy's exceptions.",
        notes=("Checked against the access policy: the exception relied on applies.",),
        evidence=(),
        priorities={Priority.P3: 1},
        confidentiality={Confidentiality.LEGAL_PRIVILEGED: 1},
        parties=("subject",),
        channel="check-disclosure@wikimedia.org",
        lead="legal",
    ),
)
