# The labels and texts are the catalogues' own, in their scripts (full-width Japanese
# punctuation), which RUF001 would flag one by one.
# ruff: noqa: RUF001
"""A member of the public reports in Spanish, then in Japanese, switching with the language menu:
the form, a refused attempt and its error summary, the receipt with the reference number, and
the case each report opened. Also the page on a phone in Arabic (right to left).
Screenshots go to var/screenshots/report-*.png."""

import time
from pathlib import Path
from typing import Any

import pytest

from safetydesk.cases.models import Case, CaseKind, Priority
from safetydesk.intake.models import IntakeItem, IntakeStatus
from safetydesk.intake.tests.test_report_form_support import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def shot(page: Any, directory: Path, name: str) -> None:
    page.screenshot(path=str(directory / f"report-{name}.png"), full_page=True, animations="disabled")


def switch_language(page: Any, code: str) -> None:
    """The visible language menu: choose, then press the button (no JavaScript needed)."""
    page.locator("#language-select").select_option(code)
    page.locator(".language-menu button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == code


def wait_like_a_person(loaded_at: float, seconds: float = 3.2) -> None:
    """Faster than settings.INTAKE_FORM_MIN_SECONDS is treated as a bot; people are slower."""
    time.sleep(max(0.0, loaded_at + seconds - time.monotonic()))


def reference_on(page: Any) -> str:
    return str(page.locator(".reference-number").inner_text()).strip()


def test_it_takes_reports_in_spanish_and_japanese(
    live_server: Any, browser_context: Any, screenshots_dir: Path, tmp_path: Path
) -> None:
    image = tmp_path / "captura.png"
    image.write_bytes(png_bytes(40, 30))
    page = browser_context.new_page()
    page.goto(f"{live_server.url}/report/")
    assert page.locator("html").get_attribute("lang") == "en"

    # Spanish, chosen from the menu. The emergency guidance is the first thing on the page.
    switch_language(page, "es")
    loaded_at = time.monotonic()
    assert page.locator("main > *").first.get_attribute("class") == "emergency"
    assert page.get_by_role("heading", level=1).inner_text() == "Reportar un problema de seguridad"
    shot(page, screenshots_dir, "form-es")

    page.get_by_label("Acoso o intimidación").check()
    page.get_by_label("¿Qué ha pasado?", exact=True).fill(
        "Un usuario me insulta en mi página de discusión cada vez que edito y me dice que me va a encontrar."
    )
    page.get_by_label("¿Dónde ha pasado? (opcional)").fill(
        "es.wikipedia.org/w/index.php?title=Usuario_discusión:Rocío&diff=158000001"
    )
    page.get_by_label("¿A quién reporta? (opcional)").fill("Ejemplo acosador")
    page.get_by_label("Capturas de pantalla (opcional)").set_input_files(str(image))
    page.get_by_label("Su nombre", exact=True).fill("Rocío")
    page.get_by_label("Su dirección de correo electrónico").fill("rocio@example.org")
    page.get_by_label("Quiero recibir respuesta").check()
    wait_like_a_person(loaded_at)
    page.get_by_role("button", name="Enviar reporte").click()
    page.wait_for_url("**/report/done/**")

    assert page.get_by_role("heading", level=1).inner_text() == "Gracias. Hemos recibido su reporte."
    reference = reference_on(page)
    assert page.locator(".emergency").count() == 0  # not a threat: the plain receipt
    assert "2 días hábiles" in page.locator(".next-steps").inner_text()
    shot(page, screenshots_dir, "done-es")

    case = Case.objects.get(reference=reference)
    assert case.language == "es"
    assert case.kind == CaseKind.GENERAL
    assert case.intake_channel == "webform"
    item = IntakeItem.objects.get(case=case)
    assert item.status == IntakeStatus.ACCEPTED
    assert [(a.sniffed_type, a.filename) for a in item.attachments.all()] == [("image/png", "captura.png")]

    # Japanese, from the menu on the receipt page; first an incomplete attempt.
    switch_language(page, "ja")
    page.get_by_role("link", name="別の報告を送る").click()
    page.wait_for_load_state()
    loaded_at = time.monotonic()
    page.get_by_role("button", name="報告を送信").click()
    page.wait_for_load_state()
    summary = page.locator(".error-summary")
    assert summary.get_by_role("heading").inner_text() == "フォームを確認してください"
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.get_by_role("link", name="何があったかを書いてください。").click()
    assert page.evaluate("document.activeElement.id") == "id_body"
    shot(page, screenshots_dir, "errors-ja")

    page.get_by_label("誰かが自分を傷つけるおそれがある").check()
    page.get_by_label("何がありましたか？", exact=True).fill(
        "ある利用者がノートページに「もう生きていたくない、今夜終わりにする」と書き込みました。とても心配です。"
    )
    page.get_by_label("どこで起きましたか？（任意）").fill("https://ja.wikipedia.org/wiki/利用者‐会話:例")
    page.get_by_label("メールアドレス", exact=True).fill("sakura@example.org")
    wait_like_a_person(loaded_at)
    page.get_by_role("button", name="報告を送信").click()
    page.wait_for_url("**/report/done/**")

    # A threat: the guidance before anything else, then the reference and when to expect an answer.
    assert page.locator("main > *").first.get_attribute("class") == "emergency"
    assert page.get_by_role("heading", level=1).inner_text() == "ありがとうございます。報告を受け付けました。"
    next_steps = page.locator(".next-steps").inner_text()
    assert "3時間以内" in next_steps
    assert "1時間以内に連絡がない場合" in next_steps
    reference = reference_on(page)
    shot(page, screenshots_dir, "done-ja")

    case = Case.objects.get(reference=reference)
    assert case.language == "ja"
    assert case.kind == CaseKind.EMERGENCY
    assert case.priority == Priority.P0

    # On a phone, in Arabic: right to left, and the guidance still first.
    phone = browser_context.new_page()
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{live_server.url}/report/")
    switch_language(phone, "ar")
    assert phone.locator("html").get_attribute("dir") == "rtl"
    assert phone.locator("main > *").first.get_attribute("class") == "emergency"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    phone.locator(".dsa-notice summary").click()
    shot(phone, screenshots_dir, "form-ar-phone")

    assert browser_context.console_errors == []
