"""Mail to the legal address: a DMCA notice (§9) or other legal process (§10, §11), by content."""

from django.test import SimpleTestCase

from safetydesk.cases.models import CaseKind
from safetydesk.intake.classify import legal_kind, legal_kind_with_reasons

DMCA_NOTICE = """Subject: DMCA Takedown Notice - unauthorized use of photograph

To the Designated Agent of the Wikimedia Foundation:

I write on behalf of Example Photo Agency LLC, the owner of the copyright in the photograph
"Sunset over the Harbor" (U.S. Copyright Reg. VA 2-123-456). The photograph has been copied
without permission and is displayed at:
https://commons.wikimedia.org/wiki/File:Sunset_over_the_harbor.jpg

This notice is sent under the Digital Millennium Copyright Act, 17 U.S.C. § 512(c)(3). I have a
good faith belief that use of the copyrighted material described above is not authorized by the
copyright owner, its agent, or the law. The information in this notification is accurate, and
under penalty of perjury, I am authorized to act on behalf of the owner of an exclusive right
that is allegedly infringed. Should the material remain online we reserve the right to seek an
injunction.

/s/ Jane Roe, Licensing Manager, Example Photo Agency LLC
100 Main Street, Springfield, IL 62701 - jane.roe@example.com - (555) 010-0100
"""

COUNTER_NOTICE = """Subject: Counter-notification regarding File:Harbor_1970.jpg

The file https://commons.wikimedia.org/wiki/File:Harbor_1970.jpg was removed in response to a
takedown request. I swear, under penalty of perjury, that I have a good faith belief the material
was removed as a result of mistake or misidentification: the photograph is my own work. I consent
to the jurisdiction of the Federal District Court for the district in which my address is located.
John Doe, 12 Elm Street, Portland, OR 97201
"""

SUBPOENA = """UNITED STATES DISTRICT COURT FOR THE NORTHERN DISTRICT OF CALIFORNIA
SUBPOENA TO PRODUCE DOCUMENTS, INFORMATION, OR OBJECTS IN A CRIMINAL CASE

To: Wikimedia Foundation, Inc., Custodian of Records

YOU ARE COMMANDED to produce the following: all subscriber information, IP addresses used to
access the account, and e-mail addresses associated with the user account "ExampleEditor" on
English Wikipedia, from January 1, 2025 to the present. This request is made pursuant to
18 U.S.C. § 2703(c). Contact: Detective J. Smith, Redwood City Police Department.
"""

SUBPOENA_512H = """Re: Subpoena under 17 U.S.C. § 512(h) to identify an alleged infringer

Pursuant to 17 U.S.C. § 512(h), the clerk of court has issued the enclosed subpoena directing the
Wikimedia Foundation to disclose information sufficient to identify the user who uploaded the
copyrighted work identified in our earlier DMCA notice.
"""

FOREIGN_ORDER = """Landgericht Hamburg - Beschluss (Einstweilige Verfügung)

In der Sache Müller gegen Wikimedia Foundation wird der Antragsgegnerin untersagt, die im Artikel
"Hans Müller" enthaltenen Behauptungen zu verbreiten. The claimant alleges defamation.
"""


class LegalKindTests(SimpleTestCase):
    def test_it_recognises_a_dmca_takedown_notice_and_says_why(self) -> None:
        kind, reasons = legal_kind_with_reasons(DMCA_NOTICE)
        assert kind == CaseKind.DMCA
        text = "\n".join(reasons)
        assert "17 U.S.C. § 512" in text
        assert "good faith belief" in text
        assert "authorized to act on behalf of the owner" in text
        assert reasons[-1].startswith("DMCA notice:")

    def test_a_threat_of_litigation_in_a_notice_does_not_make_it_legal_process(self) -> None:
        reasons = legal_kind_with_reasons(DMCA_NOTICE)[1]
        assert any("court order" in reason and "injunction" in reason for reason in reasons)
        assert legal_kind(DMCA_NOTICE) == CaseKind.DMCA

    def test_it_recognises_a_counter_notice_as_dmca(self) -> None:
        assert legal_kind(COUNTER_NOTICE) == CaseKind.DMCA

    def test_it_recognises_a_subpoena_for_user_data_as_legal_process(self) -> None:
        kind, reasons = legal_kind_with_reasons(SUBPOENA)
        assert kind == CaseKind.LEGAL_REQUEST
        text = "\n".join(reasons)
        assert "is a subpoena ('SUBPOENA')" in text
        assert "requests user data" in text
        assert "18 U.S.C. § 2703" in text

    def test_a_dmca_subpoena_for_the_uploaders_identity_is_a_request_for_user_data(self) -> None:
        kind, reasons = legal_kind_with_reasons(SUBPOENA_512H)
        assert kind == CaseKind.LEGAL_REQUEST
        assert any("512(h)" in reason for reason in reasons)

    def test_it_recognises_a_foreign_court_order_as_legal_process(self) -> None:
        kind, reasons = legal_kind_with_reasons(FOREIGN_ORDER)
        assert kind == CaseKind.LEGAL_REQUEST
        assert any("foreign court" in reason for reason in reasons)

    def test_it_defaults_to_legal_process_and_says_so(self) -> None:
        for text in ("", "Hello, can someone from legal call me back?", "x" * 100_000):
            with self.subTest(text=text[:20]):
                kind, reasons = legal_kind_with_reasons(text)
                assert kind == CaseKind.LEGAL_REQUEST
                assert reasons == ["legal process: no DMCA notice vocabulary, and legal process is the default"]

    def test_a_passing_mention_of_copyright_is_not_a_notice(self) -> None:
        text = "I think the copyrighted work on this page may be a problem, can you check?"
        kind, reasons = legal_kind_with_reasons(text)
        assert kind == CaseKind.LEGAL_REQUEST
        assert "a DMCA notice needs at least 3" in reasons[-1]

    def test_legal_kind_is_the_first_half_of_legal_kind_with_reasons(self) -> None:
        for text in (DMCA_NOTICE, SUBPOENA, ""):
            assert legal_kind(text) == legal_kind_with_reasons(text)[0]
            assert legal_kind(text) in CaseKind.values
