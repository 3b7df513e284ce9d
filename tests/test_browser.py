"""The web UI in a real headless browser (Debian's chromium driven by Playwright), against a
real `search serve` (waitress) on loopback. Screenshots go to tests/artifacts/ (git-ignored)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT, SEEDS, free_port, run_cli, wait_for

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _require_browser():
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: run ./test.sh (it installs Debian's chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a failure, never a silent skip
        pytest.skip(message)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    corpus, index = root / "seeds", root / "index"
    shutil.copytree(SEEDS, corpus)
    shutil.copytree(FIXTURES / "html", corpus / "html")
    run_cli("reindex", "--seeds", str(corpus), "--index", str(index), check=True)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        raise RuntimeError("search serve did not start: " + proc.stdout.read().decode())
    yield {"base": base, "corpus": corpus, "index": index}
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def _total(page) -> int:
    return int(page.locator(".summary .total strong").inner_text())


def test_search_facets_chips_timeline_article_back(server, page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server["base"] + "/")
    box = page.locator("input[name=q][autofocus]")
    assert box.is_visible()
    # Type without accents; get the accented Vietnamese article.
    box.fill("hoang binh quan")
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=hoang\+binh\+quan"))
    assert _total(page) == 3
    assert page.locator(".hit h3", has_text="Trưởng Ban Đối ngoại Trung ương").count() == 1
    assert page.locator(".hit mark", has_text="Hoàng").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "results.png"), full_page=True)

    # Click a facet value: the URL and the counts change, and a chip appears.
    page.locator('.facet[data-facet=language] a[data-value="vi"]').click()
    page.wait_for_url(re.compile(r"lang=vi"))
    assert _total(page) == 1
    assert page.locator('.facet[data-facet=language] a[data-value="vi"] .count').inner_text() == "1"
    assert page.locator('.facet[data-facet=language] a[data-value="en"] .count').inner_text() == "2"
    chip = page.locator('.chip[data-facet=language]')
    assert chip.count() == 1
    chip.click()
    page.wait_for_url(lambda url: "lang=" not in url)
    assert _total(page) == 3 and page.locator(".chip[data-facet]").count() == 0

    # A timeline bar filters to its year and shows that year's months.
    page.locator('svg.timeline a[data-value="2020"]').click()
    page.wait_for_url(re.compile(r"year=2020"))
    assert _total(page) == 1
    assert page.locator('svg.timeline a[data-value="2020-07"]').count() == 1
    results_url = page.url

    # Open the article, then go back.
    page.locator(".hit h3 a").first.click()
    page.wait_for_url(re.compile(r"/articles/[0-9a-f]{16}"))
    assert page.locator("article h1").inner_text().startswith("Vietnam attends")
    assert page.locator("article .body mark", has_text="Hoang").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "article.png"), full_page=True)
    page.go_back()
    page.wait_for_url(results_url)
    assert _total(page) == 1


def test_works_without_javascript_and_on_a_phone(server, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    pg = context.new_page()
    pg.goto(server["base"] + "/search?q=an+ninh&ui=vi")
    assert "kết quả" in pg.locator(".summary").inner_text()
    pg.locator('.facet[data-facet=outlet] a').first.click()
    assert "outlet=" in pg.url and pg.locator(".chip[data-facet]").count() == 1
    width = pg.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px screen"
    pg.screenshot(path=str(ARTIFACTS / "phone.png"), full_page=True)
    context.close()


def test_bad_query_and_unknown_article_pages(server, page):
    page.goto(server["base"] + "/search?page=0")
    assert "could not be run" in page.locator(".message.error").inner_text()
    resp = page.goto(server["base"] + "/articles/ffffffffffffffff")
    assert resp.status == 404 and "Traceback" not in page.content()


def test_server_moves_to_new_index_after_reindex_without_restart(server):
    def total(q):
        with urllib.request.urlopen(server["base"] + "/api/search?q=" + q, timeout=10) as r:
            return json.load(r)["total"]

    assert total("Zanzibar") == 0
    extra = server["corpus"] / "zanzibar.txt"
    extra.write_text(" date 2022-05-01 Zanzibar delegation visits Hanoi\nHanoi (VNA) – A Zanzibar party "
                     "delegation visited Hanoi.\n", "utf-8")
    try:
        run_cli("reindex", "--seeds", str(server["corpus"]), "--index", str(server["index"]), check=True)
        # The server opens the new generation in the background and switches when it is ready.
        assert wait_for(lambda: total("Zanzibar") == 1, timeout=20)
    finally:
        extra.unlink()
        run_cli("reindex", "--seeds", str(server["corpus"]), "--index", str(server["index"]), check=True)
    assert wait_for(lambda: total("Zanzibar") == 0, timeout=20)
