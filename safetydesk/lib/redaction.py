"""Patterns of personal data that no public or committee-facing text may carry, whoever wrote it."""

import re

EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A telephone number: an international one (+44 20 …), or groups of digits spaced like one
# (020 7946 0000); never a date (2027-01-05) or an address on the web (127.0.0.1:8080).
PHONE = re.compile(r"\+\d[\d ()/-]{6,}\d|\b\d{2,5}[ ()/-]+\d{2,5}[ ()/-]+\d{3,}\b")
