"""Threats of harm (DOMAIN §5): the emergency track, triage, law-enforcement referral,
disclosures to law enforcement, and functionary disclosure reports (DOMAIN §13.3)."""
