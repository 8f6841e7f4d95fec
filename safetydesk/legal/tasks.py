"""Work the legal app does after commit (ids only)."""

from django.tasks import task

from safetydesk.legal.letters import store_pdf
from safetydesk.legal.models import Letter


@task()
def render_letter_pdf(letter_id: int) -> str:
    letter = Letter.objects.select_related("notice", "case").get(pk=letter_id)
    if letter.pdf_sha256:
        return "done already"
    store_pdf(letter)
    return "rendered"
