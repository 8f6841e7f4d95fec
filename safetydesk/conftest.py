"""Fixtures shared across the apps' tests.

A farm of two real MediaWiki wikis (Debian's package on PHP's built-in server), started once
for the test session when a test first asks for it and stopped at the session's end. Classes ask
for it with @pytest.mark.usefixtures("farm") and find the wikis on self.farm."""

from collections.abc import Iterator

import pytest

from safetydesk.wiki.devwiki import DevWiki, mediawiki_installed

FARM = ("alphawiki", "betawiki")


@pytest.fixture(scope="session")
def wiki_farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[DevWiki]]:
    if not mediawiki_installed():
        pytest.skip(
            "MediaWiki is not installed: `make deps-system` installs Debian's mediawiki, php-cli and php-sqlite3"
        )
    root = tmp_path_factory.mktemp("wikis")
    started: list[DevWiki] = []
    try:
        for name in FARM:
            started.append(DevWiki(root / name, name=name).start())
        yield started
    finally:
        for wiki in started:
            wiki.stop()


@pytest.fixture(scope="class")
def farm(request: pytest.FixtureRequest, wiki_farm: list[DevWiki]) -> None:
    request.cls.farm = wiki_farm
