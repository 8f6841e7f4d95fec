"""`safetydesk keys rotate`: re-encrypt every stored encrypted value with the newest key."""

from argparse import RawDescriptionHelpFormatter
from collections import Counter
from typing import Any

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models, transaction
from django.db.models import ExpressionWrapper, F, TextField, Value

from safetydesk.audit.log import record_audit
from safetydesk.audit.models import AuditEventType
from safetydesk.lib.crypto import ENCRYPTED_FIELD_TYPES, is_current_key, rotate_token

ROTATE_HELP = """\
Re-encrypt every value of every encrypted field, on every model, with the newest key of
SAFETYDESK_ENCRYPTION_KEYS (the first in the list). Values already under the newest key are
left alone, so the command is safe to interrupt and run again; each batch of rows commits on
its own.

Rotating a key:
  1. put the new key first: SAFETYDESK_ENCRYPTION_KEYS=NEW,OLD, and restart every process;
  2. run `safetydesk keys rotate` (once with --dry-run to see how much will change);
  3. when it reports nothing left to re-encrypt, remove OLD and restart again.

Prints the values re-encrypted per model and writes one KEYS_ROTATED audit row with the
counts. A value that no configured key can decrypt is reported (model, field, row id; never
the value) and makes the command exit 1 after everything else is done."""

# A raw column read: the field's own from_db_value would decrypt it.
RAW = TextField()


def encrypted_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The model's own encrypted columns (inherited ones belong to the parent's table)."""
    return [f for f in model._meta.local_concrete_fields if isinstance(f, ENCRYPTED_FIELD_TYPES)]


def models_with_encrypted_fields() -> list[tuple[type[models.Model], list[models.Field[Any, Any]]]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = encrypted_fields(model)
        if fields:
            found.append((model, fields))
    return found


class Command(BaseCommand):
    help = "Manage the field-encryption keys. Subcommands: rotate."

    def add_arguments(self, parser: CommandParser) -> None:
        subcommands = parser.add_subparsers(
            dest="subcommand", required=True, metavar="SUBCOMMAND", title="subcommands"
        )
        rotate = subcommands.add_parser(
            "rotate",
            help="re-encrypt stored values with the newest key",
            description=ROTATE_HELP,
            formatter_class=RawDescriptionHelpFormatter,
        )
        rotate.add_argument(
            "--dry-run", action="store_true", help="count what would be re-encrypted; change nothing"
        )
        rotate.add_argument(
            "--batch-size", type=int, default=500, help="rows per batch and transaction (default 500)"
        )

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "rotate":
            self.rotate(dry_run=options["dry_run"], batch_size=options["batch_size"])

    def rotate(self, *, dry_run: bool, batch_size: int) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        verb = "would re-encrypt" if dry_run else "re-encrypted"
        rotated: dict[str, int] = {}
        unreadable = 0
        for model, fields in models_with_encrypted_fields():
            counts = self.rotate_model(model, fields, dry_run=dry_run, batch_size=batch_size)
            label = model._meta.label_lower
            rotated[label] = counts["rotated"]
            unreadable += counts["unreadable"]
            line = f"{model._meta.label}: {verb} {counts['rotated']}, already current {counts['current']}"
            if counts["changed"]:
                line += f", changed meanwhile {counts['changed']} (run again)"
            if counts["unreadable"]:
                line += f", unreadable {counts['unreadable']}"
            self.stdout.write(line)
        total = sum(rotated.values())
        self.stdout.write(f"{verb} {total} values in total" + (" (dry run: nothing changed)" if dry_run else ""))
        if not dry_run:
            record_audit(
                event_type=AuditEventType.KEYS_ROTATED,
                data={"rotated": rotated, "total": total, "unreadable": unreadable},
            )
        if unreadable:
            raise CommandError(
                f"{unreadable} values could not be decrypted with any configured key; "
                "they are listed above and were left as they are",
                returncode=1,
            )

    def rotate_model(
        self, model: type[models.Model], fields: list[models.Field[Any, Any]], *, dry_run: bool, batch_size: int
    ) -> Counter[str]:
        counts: Counter[str] = Counter()
        manager = model._base_manager
        raw_names = {f"_raw_{field.attname}": field for field in fields}
        raw_columns = {name: ExpressionWrapper(F(field.attname), output_field=RAW) for name, field in raw_names.items()}
        last_pk: Any = None
        while True:
            qs = manager.order_by("pk").annotate(**raw_columns)
            if last_pk is not None:
                qs = qs.filter(pk__gt=last_pk)
            batch = list(qs.values("pk", *raw_names)[:batch_size])
            if not batch:
                return counts
            last_pk = batch[-1]["pk"]
            with transaction.atomic():
                for row in batch:
                    self.rotate_row(model, row, raw_names, counts, dry_run=dry_run)

    def rotate_row(
        self,
        model: type[models.Model],
        row: dict[str, Any],
        raw_names: dict[str, models.Field[Any, Any]],
        counts: Counter[str],
        *,
        dry_run: bool,
    ) -> None:
        old: dict[str, str] = {}
        new: dict[str, str] = {}
        for raw_name, field in raw_names.items():
            token = row[raw_name]
            if token is None:
                continue
            if is_current_key(token):
                counts["current"] += 1
                continue
            try:
                new[field.attname] = rotate_token(token)
            except InvalidToken:
                counts["unreadable"] += 1
                self.stderr.write(
                    f"{model._meta.label} #{row['pk']} {field.name}: no configured key decrypts this value"
                )
                continue
            old[field.attname] = token
        if not new:
            return
        if dry_run:
            counts["rotated"] += len(new)
            return
        # Compare-and-set on the stored tokens, and write them as plain text: the fields' own
        # get_prep_value would encrypt the token a second time.
        updated = (
            model._base_manager.filter(pk=row["pk"], **{k: Value(v, output_field=RAW) for k, v in old.items()})
            .update(**{k: Value(v, output_field=RAW) for k, v in new.items()})
        )
        if updated:
            counts["rotated"] += len(new)
        else:
            # Saved by the application since we read it, under whatever key it had then.
            counts["changed"] += len(new)
