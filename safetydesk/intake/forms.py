"""The public report form (/report/): what a member of the public can tell the team, checked
field by field, and turned into the `Submission` the intake pipeline takes (issue 3, part 3).

The form never decides what happens to a report; it says what was given. Spam signals (the
honeypot and the signed start time) are read here but never shown as errors: a bot gets the
same answer as a person, and the view keeps its submission as a dismissed item.
"""

import hashlib
import json
import secrets
import time
import unicodedata
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safetydesk.intake.attachments import sniff
from safetydesk.intake.submission import AttachmentData, Submission
from safetydesk.intake.wikis import check_permalink

FORM_SIGNING_SALT = "safetydesk.intake.report-form"
MAX_NOTICE_URLS = 50
SINGLE_LINE_MESSAGE = gettext_lazy("This must be on a single line: line breaks are not allowed.")


class Category(models.TextChoices):
    """What the reporter says the problem is: ReportIncident's physical-harm types (DOMAIN §5.1,
    §16.4), then the behaviour types it shows by default, with its identifiers as values."""

    THREAT_SELF_HARM = "threats-self-harm", gettext_lazy("Someone may harm themselves")
    THREAT_PHYSICAL_HARM = "threats-physical-harm", gettext_lazy("A threat to hurt or kill someone")
    THREAT_PUBLIC_HARM = "threats-public-harm", gettext_lazy("A threat to the public or to a place")
    INTIMIDATION = "intimidation", gettext_lazy("Harassment or intimidation")
    SEXUAL_HARASSMENT = "sexual-harassment", gettext_lazy("Sexual harassment")
    DOXING = "doxing", gettext_lazy("Sharing private information (doxing)")
    HATE = "hate-or-discrimination", gettext_lazy("Hate speech or discrimination")
    TROLLING = "trolling", gettext_lazy("Trolling")
    SPAM = "spam", gettext_lazy("Spam")
    SOMETHING_ELSE = "something-else", gettext_lazy("Something else")


THREAT_CATEGORIES = frozenset(
    {Category.THREAT_SELF_HARM.value, Category.THREAT_PHYSICAL_HARM.value, Category.THREAT_PUBLIC_HARM.value}
)
CATEGORY_HINTS = {
    Category.THREAT_SELF_HARM: gettext_lazy(
        "Someone writes about suicide or about hurting themselves, whether it is another person or you."
    ),
    Category.THREAT_PHYSICAL_HARM: gettext_lazy("Someone says they will physically hurt or kill another person."),
    Category.THREAT_PUBLIC_HARM: gettext_lazy(
        "A threat of violence against a school, an event, a building or many people."
    ),
    Category.INTIMIDATION: gettext_lazy("Aggression, name-calling, hounding, or trying to frighten someone."),
    Category.SEXUAL_HARASSMENT: gettext_lazy("Unwanted sexual remarks, advances or images."),
    Category.DOXING: gettext_lazy(
        "Someone posted, or threatened to post, a person's real name, address, workplace, photos or other "
        "private details."
    ),
    Category.HATE: gettext_lazy(
        "Attacks on people because of who they are, such as their ethnicity, religion, gender, sexual "
        "orientation or disability."
    ),
    Category.TROLLING: gettext_lazy("Deliberately provoking people or disrupting discussions."),
    Category.SPAM: gettext_lazy("Advertising, scams or links posted over and over."),
    Category.SOMETHING_ELSE: gettext_lazy("Describe it under “What happened?”."),
}


def is_threat(category: str) -> bool:
    return category in THREAT_CATEGORIES


def english_label(category: str) -> str:
    """The category's name for staff-facing text (the case title), whatever the form's language."""
    with translation.override("en"):
        return str(Category(category).label)


# --- fields ------------------------------------------------------------------------------------


def check_single_line(value: Any) -> None:
    """Refuse line breaks and other control characters in a one-line field: they have no place
    in a name, an address or a username, and in a mail header they would start a new header."""
    if isinstance(value, str) and any(
        char in "\r\n\x85\u2028\u2029" or unicodedata.category(char) == "Cc" for char in value
    ):
        raise ValidationError(SINGLE_LINE_MESSAGE, code="line_break")


class SingleLineField(forms.CharField):
    def to_python(self, value: Any) -> str:
        check_single_line(value)  # before stripping: a trailing CR/LF is refused too
        return str(super().to_python(value))


class SingleLineEmailField(forms.EmailField):
    default_error_messages = {"invalid": gettext_lazy("Enter an email address like name@example.org.")}

    def to_python(self, value: Any) -> str:
        check_single_line(value)
        return str(super().to_python(value))


class ScreenshotsInput(forms.FileInput):
    allow_multiple_selected = True


class ScreenshotsField(forms.FileField):
    """Up to settings.INTAKE_FORM_MAX_SCREENSHOTS images, each within the size limit, told
    apart from other files by their bytes (attachments.sniff), never by name or declared type."""

    widget = ScreenshotsInput

    def clean(self, data: Any, initial: Any = None) -> list[AttachmentData]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            return []
        limit = settings.INTAKE_FORM_MAX_SCREENSHOTS
        if len(files) > limit:
            raise ValidationError(
                _("You can attach up to %(limit)s screenshots; you chose %(count)s.")
                % {"limit": limit, "count": len(files)},
                code="too_many",
            )
        errors: list[ValidationError] = []
        attachments: list[AttachmentData] = []
        max_bytes = settings.INTAKE_FORM_MAX_SCREENSHOT_BYTES
        for upload in files:
            name = safe_filename(upload)
            if upload.size is None or upload.size > max_bytes:
                errors.append(
                    ValidationError(
                        _("“%(name)s” is larger than %(limit)s MB.")
                        % {"name": name, "limit": number_format(max_bytes / (1024 * 1024), decimal_pos=0)},
                        code="too_large",
                    )
                )
                continue
            content = upload.read()
            if not is_image_type(sniff(content)):
                errors.append(
                    ValidationError(
                        _(
                            "“%(name)s” is not an image. Only screenshots or photos (PNG, JPEG, GIF, WebP) "
                            "can be attached."
                        )
                        % {"name": name},
                        code="not_an_image",
                    )
                )
                continue
            attachments.append(AttachmentData(name, (upload.content_type or "")[:127], content))
        if errors:
            raise ValidationError(errors)
        return attachments


def check_length(text: str) -> str:
    """Browser line endings made plain, then at most settings.INTAKE_FORM_MAX_BODY_CHARS
    characters; a longer text is refused with both numbers, never cut short."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    limit = settings.INTAKE_FORM_MAX_BODY_CHARS
    if len(text) > limit:
        raise ValidationError(
            _(
                "This is too long: the limit is %(limit)s characters and this has %(count)s. Please shorten it; "
                "you can send another report for the rest."
            )
            % {
                "limit": number_format(limit, force_grouping=True),
                "count": number_format(len(text), force_grouping=True),
            },
            code="too_long",
        )
    return text


def is_image_type(mime: str) -> bool:
    # SVG can carry scripts, and filetype does not report it anyway; everything else that
    # sniffs as an image (PNG, JPEG, GIF, WebP, HEIC, AVIF, BMP, TIFF) is a picture.
    return mime.startswith("image/") and mime != "image/svg+xml"


def safe_filename(upload: UploadedFile) -> str:
    name = PurePath((upload.name or "").replace("\\", "/")).name
    name = "".join(char for char in name if unicodedata.category(char)[0] != "C").strip()
    return name[:255] or "screenshot"


# --- the timing token ----------------------------------------------------------------------


def issue_form_token() -> str:
    """A signed note of when the form was shown, with a random id for this filling-in."""
    return signing.dumps({"t": time.time(), "n": secrets.token_urlsafe(12)}, salt=FORM_SIGNING_SALT)


def read_form_token(token: str) -> tuple[float, str] | None:
    """(seconds since the form was shown, the form's id), or None if the token is missing or
    was not made by us. Old tokens are fine: a frightened person may take hours."""
    try:
        data = signing.loads(token, salt=FORM_SIGNING_SALT)
        return time.time() - float(data["t"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# --- the form -------------------------------------------------------------------------------


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=gettext_lazy("What kind of problem is it?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choose the kind of problem."),
            "invalid_choice": gettext_lazy("Choose one of the kinds of problem listed."),
        },
    )
    body = forms.CharField(
        label=gettext_lazy("What happened?"),
        widget=forms.Textarea(attrs={"rows": 8}),
        strip=True,
        error_messages={"required": gettext_lazy("Describe what happened.")},
    )
    where = SingleLineField(
        label=gettext_lazy("Where did it happen? (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"}),
    )
    who = SingleLineField(
        label=gettext_lazy("Who are you reporting? (optional)"),
        required=False,
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    screenshots = ScreenshotsField(
        label=gettext_lazy("Screenshots (optional)"),
        required=False,
        widget=ScreenshotsInput(attrs={"accept": "image/*"}),
    )

    dsa_illegal = forms.BooleanField(
        label=gettext_lazy("I believe this content is illegal under EU law"), required=False
    )
    dsa_explanation = forms.CharField(
        label=gettext_lazy("Why is it illegal?"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    dsa_urls = forms.CharField(
        label=gettext_lazy("Exact links to the content"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
    dsa_csam = forms.BooleanField(
        label=gettext_lazy("This notice is about child sexual abuse material"), required=False
    )
    dsa_good_faith = forms.BooleanField(
        label=gettext_lazy(
            "I confirm in good faith that the information and allegations in this notice are accurate and complete."
        ),
        required=False,
    )

    name = SingleLineField(
        label=gettext_lazy("Your name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = SingleLineEmailField(
        label=gettext_lazy("Your email address"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    wants_reply = forms.BooleanField(label=gettext_lazy("I want a reply"), required=False)

    # Abuse signals (issue 3 part 8). The honeypot is hidden by CSS and from assistive
    # technology; its label tells anyone who still meets it to leave it alone.
    website = forms.CharField(label=gettext_lazy("Leave this field empty"), required=False)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    DSA_FIELDS = ("dsa_explanation", "dsa_urls", "dsa_csam", "dsa_good_faith")
    HINTS = {
        "body": gettext_lazy(
            "In your own words and in any language. Up to %(limit)s characters."
        ),
        "where": gettext_lazy(
            "A link to the page or the diff, copied from the address bar, for example "
            "https://en.wikipedia.org/w/index.php?diff=123456. It helps us act quickly."
        ),
        "who": gettext_lazy("The username of the account, if you know it."),
        "screenshots": gettext_lazy("Up to %(count)s images (PNG, JPEG, GIF or WebP), each up to %(size)s MB."),
        "dsa_explanation": gettext_lazy("Which law you believe it breaks, and why."),
        "dsa_urls": gettext_lazy("One link per line: the page, the revision or the diff."),
        "dsa_csam": gettext_lazy(
            "Then your name and email address are not required. Do not upload images of it: the links are enough."
        ),
        "name": gettext_lazy("Needed for a notice of illegal content."),
        "email": gettext_lazy(
            "Needed if you want a reply, or for a notice of illegal content. We use it only about this report."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        self._describe_fields()

    # --- validation ----------------------------------------------------------------------

    def clean_body(self) -> str:
        return check_length(str(self.cleaned_data["body"]))

    def clean_where(self) -> str:
        where = str(self.cleaned_data["where"])
        return check_permalink(where) if where else ""

    def clean_dsa_explanation(self) -> str:
        return check_length(str(self.cleaned_data["dsa_explanation"]))

    def clean_dsa_urls(self) -> list[str]:
        lines = [line.strip() for line in str(self.cleaned_data["dsa_urls"]).splitlines() if line.strip()]
        if len(lines) > MAX_NOTICE_URLS:
            raise ValidationError(
                _("Give at most %(limit)s links in one notice.") % {"limit": MAX_NOTICE_URLS}, code="too_many"
            )
        urls: list[str] = []
        errors: list[ValidationError] = []
        for number, line in enumerate(lines, start=1):
            try:
                url = check_permalink(line)
            except ValidationError as exc:
                errors.append(
                    ValidationError(
                        _("Line %(line)s: %(problem)s") % {"line": number, "problem": " ".join(exc.messages)},
                        code="bad_url",
                    )
                )
                continue
            if url not in urls:
                urls.append(url)
        if errors:
            raise ValidationError(errors)
        return urls

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("wants_reply") and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("To get a reply, give an email address, or untick “I want a reply”."))
        if data.get("dsa_illegal"):
            self._check_notice(data)
        elif any(data.get(name) for name in self.DSA_FIELDS):
            self.add_error(
                "dsa_illegal",
                _("You filled in the notice of illegal content: tick this box to send it, or clear those fields."),
            )
        return data

    def _check_notice(self, data: dict[str, Any]) -> None:
        """DSA Art. 16(2): an explanation, the exact locations, the notifier's name and email
        (except for child sexual abuse material) and a statement of good faith."""
        if not data.get("dsa_explanation") and "dsa_explanation" not in self.errors:
            self.add_error("dsa_explanation", _("Explain why you believe the content is illegal."))
        if not data.get("dsa_urls") and "dsa_urls" not in self.errors:
            self.add_error("dsa_urls", _("Give at least one link to the content."))
        if not data.get("dsa_good_faith"):
            self.add_error("dsa_good_faith", _("Confirm this statement to send a notice of illegal content."))
        if data.get("dsa_csam"):
            if data.get("screenshots"):
                self.add_error(
                    "screenshots",
                    _(
                        "Please do not upload images for a notice about child sexual abuse material: the links are "
                        "enough, and the team will handle the material safely. Remove the files and send the notice "
                        "again."
                    ),
                )
            return
        if not data.get("name") and "name" not in self.errors:
            self.add_error(
                "name", _("A notice of illegal content needs your name (not for child sexual abuse material).")
            )
        if not data.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                _("A notice of illegal content needs your email address (not for child sexual abuse material)."),
            )

    def full_clean(self) -> None:
        super().full_clean()
        self._describe_fields()

    def _describe_fields(self) -> None:
        """aria-describedby (hint, then error) and aria-invalid on each widget, so a screen
        reader reads the hint and the problem with the field."""
        errors = self.errors if self.is_bound and hasattr(self, "cleaned_data") else {}
        for name, field in self.fields.items():
            described = []
            if name in self.HINTS:
                described.append(f"{name}-hint")
            if name in errors:
                described.append(f"{name}-error")
            attrs = field.widget.attrs
            attrs.pop("aria-invalid", None)
            attrs.pop("aria-describedby", None)
            if described:
                attrs["aria-describedby"] = " ".join(described)
            if name in errors:
                attrs["aria-invalid"] = "true"

    # --- what the page shows ---------------------------------------------------------------

    @property
    def hints(self) -> dict[str, str]:
        """Each field's hint, with the limits from settings filled in."""
        values = {
            "limit": number_format(settings.INTAKE_FORM_MAX_BODY_CHARS, force_grouping=True),
            "count": settings.INTAKE_FORM_MAX_SCREENSHOTS,
            "size": number_format(settings.INTAKE_FORM_MAX_SCREENSHOT_BYTES / (1024 * 1024), decimal_pos=0),
        }
        return {name: str(text) % values if "%(" in str(text) else str(text) for name, text in self.HINTS.items()}

    def category_groups(self) -> list[tuple[str, list[tuple[Any, str]]]]:
        """The category radios in two groups, threats first, each with its hint."""
        radios = {radio.data["value"]: radio for radio in self["category"]}
        threats = [(radios[c.value], str(CATEGORY_HINTS[c])) for c in Category if c.value in THREAT_CATEGORIES]
        others = [(radios[c.value], str(CATEGORY_HINTS[c])) for c in Category if c.value not in THREAT_CATEGORIES]
        return [(_("Someone may get hurt"), threats), (_("Unacceptable behaviour"), others)]

    def error_summary(self) -> list[tuple[str, str]]:
        """(anchor, message) for every problem, in the order of the page, for the summary box."""
        items: list[tuple[str, str]] = []
        for name in self.fields:
            if name not in self.errors:
                continue
            anchor = f"id_{name}_0" if name == "category" else f"id_{name}"
            items.extend((anchor, str(message)) for message in self.errors[name])
        items.extend(("", str(message)) for message in self.non_field_errors())
        return items

    @property
    def notice_open(self) -> bool:
        """Whether the notice part starts open: it was ticked or filled, or has a problem."""
        if not self.is_bound:
            return False
        return bool(
            self.data.get("dsa_illegal")
            or any(self.data.get(name) for name in self.DSA_FIELDS)
            or any(name in self.errors for name in ("dsa_illegal", *self.DSA_FIELDS))
        )

    @property
    def files_to_choose_again(self) -> bool:
        """A page shown again after a problem cannot keep chosen files (browsers forbid it)."""
        return self.is_bound and bool(self.files.getlist("screenshots")) and bool(self.errors)

    # --- the submission ------------------------------------------------------------------

    def spam_signals(self) -> list[str]:
        signals = []
        if self.cleaned_data.get("website"):
            signals.append("honeypot")
        token = read_form_token(self.cleaned_data.get("started") or "")
        if token is None:
            signals.append("no_form_token")
        elif token[0] < settings.INTAKE_FORM_MIN_SECONDS:
            signals.append("too_fast")
        return signals

    @property
    def threat(self) -> bool:
        return is_threat(self.cleaned_data["category"])

    @property
    def channel_key(self) -> str:
        """A notice about child sexual abuse material goes through the child-protection
        channel, so the case is restricted (child-safety confidentiality) from the start."""
        data = self.cleaned_data
        return "child_protection" if data.get("dsa_illegal") and data.get("dsa_csam") else "webform"

    def submission(self, *, language: str) -> Submission:
        data = self.cleaned_data
        category: str = data["category"]
        notice = self._notice(data)
        meta: dict[str, Any] = {
            "source": "webform",
            "category": category,
            "incident_type": "immediate-threat-physical-harm" if is_threat(category) else "unacceptable-user-behavior",
            "permalink": data["where"],
            "reported_user": data["who"].strip(),
            "eu_nexus": notice is not None,
            "dsa_notice": notice,
            "wants_reply": bool(data.get("wants_reply")),
            "form_language": language,
        }
        attachments: list[AttachmentData] = data.get("screenshots") or []
        files = [hashlib.sha256(a.content).hexdigest() for a in attachments]
        given = json.dumps([meta, data["body"], data["email"], data["name"], files], sort_keys=True, ensure_ascii=False)
        fingerprint = hashlib.sha256(given.encode()).hexdigest()
        token = read_form_token(data.get("started") or "")
        form_id = token[1] if token else secrets.token_urlsafe(12)
        flags = ["dsa_notice"] if notice is not None else []
        return Submission(
            sender=data["email"],
            sender_name=data["name"].strip(),
            subject=f"Web report: {english_label(category)}",
            body=self._body(data, notice),
            # The same filled-in form sent twice (a double click, the back button) is one
            # report: the pipeline dismisses the second as a duplicate of the first.
            message_id=f"webform-{form_id}-{fingerprint[:24]}",
            language=language,
            attachments=tuple(attachments),
            meta=meta,
            kind="emergency" if is_threat(category) else "",
            priority="P0" if is_threat(category) else "",
            flags=tuple(flags),
        )

    def _notice(self, data: dict[str, Any]) -> dict[str, Any] | None:
        if not data.get("dsa_illegal"):
            return None
        csam = bool(data.get("dsa_csam"))
        present = {
            "explanation": bool(data.get("dsa_explanation")),
            "urls": bool(data.get("dsa_urls")),
            "name": bool(data.get("name")),
            "email": bool(data.get("email")),
            "good_faith": bool(data.get("dsa_good_faith")),
        }
        identified = csam or (present["name"] and present["email"])
        return {
            "explanation": data.get("dsa_explanation", ""),
            "urls": data.get("dsa_urls", []),
            "notifier_name": data["name"].strip(),
            "notifier_email": data["email"],
            "child_sexual_abuse": csam,
            "good_faith": present["good_faith"],
            # Art. 16(3): a notice with every element gives actual knowledge.
            "completeness": {
                **present,
                "identity_exempt": csam,
                "complete": present["explanation"] and present["urls"] and present["good_faith"] and identified,
            },
        }

    @staticmethod
    def _body(data: dict[str, Any], notice: dict[str, Any] | None) -> str:
        """What staff read on the case: the reporter's words, then the facts the form asked for."""
        lines = [data["body"], "", f"Category: {english_label(data['category'])}"]
        lines.append(f"Where: {data['where'] or '(not given)'}")
        lines.append(f"Who: {data['who'].strip() or '(not given)'}")
        if data.get("wants_reply"):
            lines.append("The reporter asked for a reply.")
        if notice is not None:
            lines += ["", "Notice of illegal content (EU DSA Art. 16)"]
            if notice["child_sexual_abuse"]:
                lines.append("Concerns child sexual abuse material.")
            lines += ["Why illegal:", notice["explanation"], "Exact locations:", *notice["urls"]]
            notifier = f"{notice['notifier_name'] or '(name not given)'} <{notice['notifier_email'] or 'no email'}>"
            lines.append(f"Notifier: {notifier}")
            lines.append(f"Good-faith statement: {'confirmed' if notice['good_faith'] else 'missing'}")
        return "\n".join(lines)
