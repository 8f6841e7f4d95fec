"""The channel registry is configuration: addresses map to kinds, unknown ones fall back, flagged."""

import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.test import SimpleTestCase, override_settings

from safetydesk.intake.channels import DEFAULT_FILE, normalize_address, parse, registry


class DefaultRegistryTests(SimpleTestCase):
    def test_it_maps_each_default_address_to_its_kind_and_priority(self) -> None:
        expected = {
            "ca@example.org": ("general", "P2", "internal"),
            "emergency@example.org": ("emergency", "P0", "internal"),
            "legal-reports@example.org": ("child_protection", "P1", "child_safety"),
            "legal@example.org": ("legal_request", "P2", "legal_privileged"),
            "appeals@example.org": ("appeal", "P2", "internal"),
            "check-disclosure@example.org": ("disclosure_report", "P2", "legal_privileged"),
        }
        for address, (kind, priority, confidentiality) in expected.items():
            with self.subTest(address=address):
                channel = registry().for_address(address)
                assert (channel.kind, channel.priority, channel.confidentiality) == (kind, priority, confidentiality)
                assert channel.flags == ()

    def test_it_sends_unknown_addresses_to_the_general_queue_flagged(self) -> None:
        channel = registry().for_address("press@example.org")
        assert channel.key == "general"
        assert channel.flags == ("unknown_address",)

    def test_it_matches_addresses_without_case_brackets_or_plus_tags(self) -> None:
        assert normalize_address(" <Emergency+urgent@Example.ORG> ") == "emergency@example.org"
        assert registry().for_address("EMERGENCY+x@example.org").key == "emergency"

    def test_the_legal_channel_asks_for_content_classification(self) -> None:
        assert registry().get("legal").classify == "legal"


class RegistryFileTests(SimpleTestCase):
    def test_it_refuses_an_unknown_kind_naming_the_channel(self) -> None:
        text = '[[channel]]\nkey = "general"\nkind = "general"\n[[channel]]\nkey = "x"\nkind = "nonsense"\n'
        with self.assertRaisesMessage(ImproperlyConfigured, "channel 'x' has kind 'nonsense'"):
            parse(text)

    def test_it_refuses_one_address_in_two_channels(self) -> None:
        text = (
            '[[channel]]\nkey = "general"\nkind = "general"\naddresses = ["a@example.org"]\n'
            '[[channel]]\nkey = "b"\nkind = "appeal"\naddresses = ["A@example.org"]\n'
        )
        with self.assertRaisesMessage(ImproperlyConfigured, "a@example.org is listed by two channels"):
            parse(text)

    def test_it_requires_the_general_fallback(self) -> None:
        with self.assertRaisesMessage(ImproperlyConfigured, "'general' is required"):
            parse('[[channel]]\nkey = "b"\nkind = "appeal"\n')

    def test_a_deployment_points_at_its_own_file(self) -> None:
        custom = Path(tempfile.mkdtemp()) / "channels.toml"
        custom.write_text(
            DEFAULT_FILE.read_text().replace('addresses = ["ca@example.org"]', 'addresses = ["abuse@example.net"]')
        )
        with override_settings(INTAKE_CHANNELS_FILE=str(custom)):
            assert registry().for_address("abuse@example.net").key == "general"
            assert registry().for_address("abuse@example.net").flags == ()
            assert registry().for_address("ca@example.org").flags == ("unknown_address",)
