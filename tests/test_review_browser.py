"""The review page in a real browser: Debian's Chromium, headless, driven by Playwright.

scripts/bootstrap --test installs the `chromium` package; Playwright's own browser download is not
used, the system browser is launched by its path.
"""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import Page, sync_playwright

from kzarchive.cli import main

from .review_support import copy_conversion, epub_text

STEM = "004_197e033e7669c0ec"

pytestmark = pytest.mark.slow  # a real browser: CI runs it (pytest --all)


def system_chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Chromium is not installed: run scripts/bootstrap --test"
    return path


@pytest.fixture()
def browser_page():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=system_chromium(), args=["--no-sandbox"])
        context = browser.new_context(accept_downloads=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page
        browser.close()
        assert not errors, errors


def _rows(page: Page) -> list[list]:
    return page.evaluate("JSON.parse(document.getElementById('data').textContent).decisions")


def _decided(page: Page) -> str:
    return page.locator("#progress").inner_text()


def test_revert_a_syllable_join_with_the_keyboard_save_apply_and_read_it_in_the_epub(browser_page, tmp_path,
                                                                                      editions) -> None:
    tei_path = copy_conversion(editions["004"].outputs["tei"], tmp_path)
    assert main(["review", str(tei_path)]) == 0
    page = browser_page
    page.goto((tmp_path / f"{STEM}.review.html").as_uri())
    page.select_option("#kind", "syllables")
    rows = [r for r in _rows(page) if r[1] == "syllables"]
    # the first row shown is the least certain syllable join; j/k move, r reverts it
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator("li.current").inner_text().count(rows[0][0]) == 1
    page.keyboard.press("r")
    assert _decided(page).startswith("1 of")
    page.keyboard.press("a")  # the next one accepted ...
    page.keyboard.press("u")  # ... and undone
    assert _decided(page).startswith("1 of")
    page.keyboard.press("e")  # the right form typed for it instead
    page.keyboard.type("Түзетілген сөз")
    page.keyboard.press("Enter")
    page.reload()  # the choices are kept in the browser
    assert _decided(page).startswith("2 of") and "0 accepted, 1 reverted, 1 corrected" in _decided(page)

    with page.expect_download() as download_info:
        page.keyboard.press("s")
    corrections = tmp_path / "saved.corrections.json"
    download_info.value.save_as(corrections)

    epub = tmp_path / f"{STEM}.epub"
    reverted = rows[0][8]  # the source reading, as the source split it
    assert reverted not in epub_text(epub)
    assert main(["apply", str(corrections), "--by", "browser test"]) == 0
    assert reverted in epub_text(epub) and "Түзетілген сөз" in epub_text(epub)
