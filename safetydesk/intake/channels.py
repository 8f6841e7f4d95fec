"""The channel registry: which address or endpoint makes which kind of case (DOMAIN §1.2).

Loaded once from a TOML file (settings.INTAKE_CHANNELS_FILE; the default ships in this app).
"""

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safetydesk.cases.models import CaseKind, Confidentiality, Priority

DEFAULT_FILE = Path(__file__).with_name("channels.toml")
FALLBACK_KEY = "general"


@dataclass(frozen=True)
class Channel:
    key: str
    label: str
    kind: str
    priority: str
    confidentiality: str = Confidentiality.INTERNAL
    addresses: tuple[str, ...] = ()
    classify: str = ""
    flags: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Registry:
    channels: dict[str, Channel]
    by_address: dict[str, Channel]

    def get(self, key: str) -> Channel:
        try:
            return self.channels[key]
        except KeyError:
            raise ImproperlyConfigured(f"No intake channel {key!r} in {settings.INTAKE_CHANNELS_FILE}") from None

    def for_address(self, address: str) -> Channel:
        """The channel mail to `address` belongs to; unknown addresses go to the general
        channel, flagged so the console shows where it really came from."""
        normalized = normalize_address(address)
        channel = self.by_address.get(normalized)
        if channel is not None:
            return channel
        general = self.get(FALLBACK_KEY)
        return Channel(**{**general.__dict__, "flags": ("unknown_address",)})

    def addresses(self) -> list[str]:
        return sorted(self.by_address)


def normalize_address(address: str) -> str:
    """Lower-case, without a +tag: ca+abc@example.org reaches ca@example.org."""
    address = address.strip().strip("<>").lower()
    local, _, domain = address.partition("@")
    return f"{local.split('+', 1)[0]}@{domain}" if domain else address


def parse(text: str, source: str = "channels") -> Registry:
    data = tomllib.loads(text)
    channels: dict[str, Channel] = {}
    by_address: dict[str, Channel] = {}
    for entry in data.get("channel", []):
        try:
            channel = Channel(
                key=entry["key"],
                label=entry.get("label", entry["key"]),
                kind=entry["kind"],
                priority=entry.get("priority", Priority.P2),
                confidentiality=entry.get("confidentiality", Confidentiality.INTERNAL),
                addresses=tuple(normalize_address(a) for a in entry.get("addresses", [])),
                classify=entry.get("classify", ""),
            )
        except KeyError as exc:
            raise ImproperlyConfigured(f"{source}: a channel lacks {exc}") from exc
        problems = [
            f"kind {channel.kind!r}" if channel.kind not in CaseKind.values else "",
            f"priority {channel.priority!r}" if channel.priority not in Priority.values else "",
            f"confidentiality {channel.confidentiality!r}"
            if channel.confidentiality not in Confidentiality.values
            else "",
            "a duplicate key" if channel.key in channels else "",
        ]
        if any(problems):
            raise ImproperlyConfigured(f"{source}: channel {channel.key!r} has " + ", ".join(p for p in problems if p))
        channels[channel.key] = channel
        for address in channel.addresses:
            if address in by_address:
                raise ImproperlyConfigured(f"{source}: {address} is listed by two channels")
            by_address[address] = channel
    if FALLBACK_KEY not in channels:
        raise ImproperlyConfigured(f"{source}: a channel with key {FALLBACK_KEY!r} is required (the fallback)")
    return Registry(channels, by_address)


@cache
def _load(path: str) -> Registry:
    return parse(Path(path).read_text(), source=path)


def registry() -> Registry:
    return _load(str(settings.INTAKE_CHANNELS_FILE))
