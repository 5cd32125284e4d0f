"""How fast a review page opens and answers in Debian's Chromium (headless, via Playwright).

    python bench/bench_review_page.py [--runs 5] [--screenshot docs/review-page.png]

Converts 001 (the largest sample) and 004 (the most decisions) to TEI in a temporary folder, writes
their review pages and opens each `--runs` times in a fresh tab. Reported, in milliseconds:

* open: navigation start → the load event (the page's script has built the whole list by then);
* key: one keystroke (j, a, r, u) dispatched in the page → the next frame is ready to paint;
* filter: choosing a kind in the filter → the next frame.

`--screenshot PNG` also saves a picture of 004's page with a few decisions made (for the README).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from kzarchive.metadata import load_catalog  # noqa: E402
from kzarchive.pipeline import convert_source  # noqa: E402
from kzarchive.results import ConvertOptions  # noqa: E402
from kzarchive.review.page import write_review_page  # noqa: E402

SAMPLES = {"001": "001_ecafecc0e8a927dd.txt", "004": "004_197e033e7669c0ec.txt"}
KEYS = ["j", "j", "a", "r", "u", "k", "j", "a"]
FRAME = "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)))"
TIMED_KEY = """async key => {
  const start = performance.now();
  document.dispatchEvent(new KeyboardEvent("keydown", {key, bubbles: true}));
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""
TIMED_FILTER = """async kind => {
  const start = performance.now(), select = document.getElementById("kind");
  select.value = kind;
  select.dispatchEvent(new Event("change"));
  await new Promise(done => requestAnimationFrame(() => setTimeout(done, 0)));
  return performance.now() - start;
}"""


def build_pages(folder: Path) -> dict[str, tuple[Path, int]]:
    pages = {}
    catalog = load_catalog(REPO / "input")
    for key, name in SAMPLES.items():
        result = convert_source(REPO / "input" / name, ConvertOptions(output_dir=folder, formats=("tei",)), catalog)
        summary = write_review_page(result.outputs["tei"])
        pages[key] = (folder / str(summary["path"]), int(summary["decisions"]))
    return pages


def measure(page: Page, url: str) -> tuple[float, list[float], float]:
    page.goto(url)
    opened = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
    keys = [page.evaluate(TIMED_KEY, key) for key in KEYS]
    kind = page.evaluate("document.getElementById('kind').options[1].value")
    filtered = page.evaluate(TIMED_FILTER, kind)
    page.evaluate("localStorage.clear()")
    return opened, keys, filtered


def screenshot(page: Page, url: str, png: Path) -> None:
    page.set_viewport_size({"width": 1200, "height": 820})
    page.goto(url)
    page.evaluate("localStorage.clear()")
    page.reload()
    for key in ("a", "r", "j", "j"):
        page.keyboard.press(key)
    page.keyboard.press("e")
    joined = page.input_value("input.form")
    # a clitic the segmenter joined, written apart again ("Өзбекстанмен" → "Өзбекстан мен")
    page.keyboard.type(joined[:-3] + " мен" if joined.endswith("мен") else joined)  # replaces the selection
    page.keyboard.press("Enter")
    page.evaluate("window.scrollTo(0, 0)")
    page.evaluate(FRAME)
    page.screenshot(path=str(png))
    page.evaluate("localStorage.clear()")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshot", type=Path, default=None)
    args = parser.parse_args()
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser_path:
        print("chromium not found (scripts/bootstrap --test installs it)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        pages = build_pages(Path(tmp))
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        print("| page | decisions | KB | open ms (median, max) | key ms (median, max) | filter ms (median) |")
        print("|---|---:|---:|---:|---:|---:|")
        for key, (path, decisions) in pages.items():
            opens, keys, filters = [], [], []
            for _ in range(args.runs):
                tab = browser.new_page()
                opened, key_times, filtered = measure(tab, path.as_uri())
                tab.close()
                opens.append(opened)
                keys += key_times
                filters.append(filtered)
            print(f"| {key} | {decisions} | {path.stat().st_size // 1024} | {statistics.median(opens):.0f}, "
                  f"{max(opens):.0f} | {statistics.median(keys):.1f}, {max(keys):.1f} | {statistics.median(filters):.0f} |")
        if args.screenshot:
            screenshot(browser.new_page(), pages["004"][0].as_uri(), args.screenshot)
            print(f"screenshot: {args.screenshot}")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
