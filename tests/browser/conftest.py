"""Browser journeys: Playwright's sync API driving Debian's Chromium against the live server.

The browser is the real one staff use (no Playwright-downloaded build); `make` installs it
with apt-get. Without it these tests skip and say why.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture
def screenshots_dir() -> Path:
    path = Path(settings.BASE_DIR) / "var" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def browser_context(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A fresh browser context at laptop size. Console errors (a CSP refusal, a script error)
    are collected on `context.console_errors` for the test to check."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium; `make` does it)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # alongside it are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-GB")
        errors: list[str] = []
        context.on("weberror", lambda error: errors.append(str(error.error)))
        context.console_errors = errors  # type: ignore[attr-defined]

        def watch(page: object) -> None:
            page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)  # type: ignore[attr-defined]

        context.on("page", watch)
        try:
            yield context
        finally:
            context.close()
            browser.close()
