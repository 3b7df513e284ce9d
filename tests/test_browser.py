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
    log = open(root / "serve.log", "wb")  # a file, not a pipe nobody reads: the access log fills it
    proc = subprocess.Popen([sys.executable, "-m", "search.cli", "serve", "--index", str(index), "--port", str(port)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
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
        raise RuntimeError("search serve did not start: " + (root / "serve.log").read_text())
    yield {"base": base, "corpus": corpus, "index": index, "log": root / "serve.log"}
    proc.terminate()
    proc.wait(timeout=10)
    log.close()


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
    return int(page.locator(".summary .total").inner_text().split()[0].replace(",", ""))


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

    # The timeline runs month by month from July 2020 to January 2021, empty months included; a
    # bar filters to its month and shows that month's days.
    assert page.locator("svg.timeline .period").count() == 7
    page.locator('svg.timeline a[data-from="2020-07"]').click()
    page.wait_for_url(re.compile(r"from=2020-07&to=2020-07"))
    assert _total(page) == 1
    assert page.locator("svg.timeline .period").count() == 31
    assert page.locator('svg.timeline a[data-from="2020-07-14"]').count() == 1
    assert page.locator(".chip[data-facet=period]").inner_text().startswith("Dates: July 2020")
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
    pg.locator(".facet-panel > summary").click()  # on a phone the filters are folded above the results
    pg.locator('.facet[data-facet=outlet] a').first.click()
    assert "outlet=" in pg.url and pg.locator(".chip[data-facet]").count() == 1
    pg.wait_for_load_state("load")  # its stylesheet applied: measured before that, the page is unstyled
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


# --- issue #15 -------------------------------------------------------------------------------
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def _axe_violations(page) -> list[dict]:
    """Run axe-core in the page (evaluated through the DevTools protocol, which the page's CSP
    does not govern); the serious and critical violations, with the elements involved."""
    page.evaluate(AXE.read_text("utf-8"))
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def _article_path(server) -> str:
    with urllib.request.urlopen(server["base"] + "/api/search?q=hoang+binh+quan", timeout=10) as r:
        return "/articles/" + json.load(r)["hits"][0]["id"] + "?q=hoang+binh+quan"


@pytest.mark.parametrize("viewport", [(1200, 900), (390, 844)])
def test_axe_finds_no_serious_or_critical_violation(server, browser, viewport):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    pg = context.new_page()
    pages = ["/", "/?ui=vi", "/search?q=medvedev&outlet=vna&sort=newest", "/search?q=an+ninh&ui=vi&share=1",
             "/search?from=2020-07&to=2020-07&page_size=2", "/facets/delegate?q=&contains=hoang",
             _article_path(server), "/search?q=&page=99", "/search?page=abc"]
    found = {}
    for path in pages:
        pg.goto(server["base"] + path)
        if viewport[0] < 700 and pg.locator(".facet-panel > summary").count():
            pg.locator(".facet-panel > summary").click()  # audit the folded filters too
        violations = _axe_violations(pg)
        if violations:
            found[path] = violations
    context.close()
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_bars_and_text_have_enough_contrast(server, page):
    page.goto(server["base"] + "/search?q=")
    ratios = page.evaluate("""() => {
      const lum = (c) => { const [r, g, b] = c.match(/\\d+/g).slice(0, 3).map(Number).map(v => {
        v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
        return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
      const ratio = (a, b) => {
        const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
      const bg = getComputedStyle(document.querySelector('.timeline-box')).backgroundColor;
      const bar = getComputedStyle(document.querySelector('svg.timeline .bar')).fill;
      const tick = getComputedStyle(document.querySelector('svg.timeline text')).fill;
      return {bar: ratio(bar, bg), tick: ratio(tick, bg)};
    }""")
    assert ratios["bar"] >= 3 and ratios["tick"] >= 4.5, ratios


def test_every_control_works_by_keyboard(server, page):
    page.goto(server["base"] + "/search?q=hoang+binh+quan")
    # The first Tab reaches the skip link, which moves focus to the results.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "results"

    def tab_to(selector, limit=80):
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate("(s) => document.activeElement.matches(s)", selector):
                return
        raise AssertionError(f"Tab never reached {selector}")

    page.goto(server["base"] + "/search?q=hoang+binh+quan")
    tab_to('.facet[data-facet=language] a[data-value="vi"]')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"lang=vi"))
    selected = page.locator('.facet[data-facet=language] a[data-value="vi"]')
    assert selected.get_attribute("aria-current") == "true"  # the selected state is exposed
    tab_to(".chip[data-facet=language]")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "lang=" not in url)
    tab_to("svg.timeline a.period")  # a timeline bar
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"from=.*&to="))
    tab_to(".share-toggle")
    page.keyboard.press(" ")  # a toggle button answers the space bar
    page.wait_for_url(re.compile(r"share=1"))
    assert page.locator(".share-toggle").get_attribute("aria-pressed") == "true"
    tab_to("#date-from")
    page.keyboard.press("Control+A")
    page.keyboard.type("2019")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("2021")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"from=2019&to=2021"))
    tab_to('.sort a:not(.current)')
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"sort="))
    tab_to(".facet[data-facet=delegate] .all-values a")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/facets/delegate"))
    tab_to("#contains")
    page.keyboard.type("hoang")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"contains=hoang"))
    assert page.locator(".all-values-list li").count() == 1


def test_drag_across_the_timeline_selects_a_range(server, page):
    page.goto(server["base"] + "/search?q=")
    bars = page.locator("svg.timeline .period")
    first, last = bars.nth(4).bounding_box(), bars.nth(16).bounding_box()
    page.mouse.move(first["x"] + first["width"] / 2, first["y"] + 20)
    page.mouse.down()
    page.mouse.move(first["x"] + 60, first["y"] + 20, steps=4)
    page.mouse.move(last["x"] + last["width"] / 2, last["y"] + 20, steps=8)
    assert page.locator("svg.timeline .period.selecting").count() == 13
    page.mouse.up()
    page.wait_for_url(re.compile(r"from=2019-07&to=2020-07"))
    assert page.locator(".chip[data-facet=period]").inner_text().startswith("Dates: July 2019 – July 2020")
    with urllib.request.urlopen(server["base"] + "/api/search?from=2019-07&to=2020-07", timeout=10) as r:
        assert _total(page) == json.load(r)["total"] == 3


def test_date_form_works_without_javascript(server, browser):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(server["base"] + "/search?q=&outlet=idcpc&sort=oldest")
    pg.fill("#date-from", "2020-07-14")
    pg.fill("#date-to", "2020-07-14")
    pg.locator("form.dates button").click()
    pg.wait_for_url(re.compile(r"from=2020-07-14"))
    assert "outlet=idcpc" in pg.url and "sort=oldest" in pg.url  # the form keeps the rest
    assert _total(pg) == 2 and pg.locator("svg.timeline .period").count() == 1
    # The query box refines the query and keeps the filters, the dates and the sort.
    pg.fill("#q-top", "medvedev")
    pg.press("#q-top", "Enter")
    pg.wait_for_url(re.compile(r"q=medvedev"))
    assert all(p in pg.url for p in ("outlet=idcpc", "sort=oldest", "from=2020-07-14"))
    assert pg.locator(".chip[data-facet]").count() == 2
    pg.locator(".chip.clear").click()
    assert pg.locator(".chip[data-facet]").count() == 0 and "q=medvedev" in pg.url and "sort=oldest" in pg.url
    context.close()


def _overlaps(boxes: list[dict]) -> list[tuple[int, int]]:
    bad = []
    for i, a in enumerate(boxes):
        for j, b in enumerate(boxes[:i]):
            if a["x"] < b["x"] + b["width"] - 1 and b["x"] < a["x"] + a["width"] - 1 and \
                    a["y"] < b["y"] + b["height"] - 1 and b["y"] < a["y"] + a["height"] - 1:
                bad.append((j, i))
    return bad


def test_phone_layout_nothing_overlaps_and_filters_fold_above_results(server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = context.new_page()
    for path in ("/search?q=medvedev&outlet=vna&ui=vi", "/search?q=", _article_path(server), "/facets/delegate",
                 "/"):
        pg.goto(server["base"] + path)
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path}: the page is {width}px wide on a 390px screen"
        parts = [pg.locator(s).bounding_box() for s in (".brand", ".searchbox input[type=search]", ".searchbox button",
                                                        ".ui-switch") if pg.locator(s).count()]
        assert not _overlaps([p for p in parts if p]), (path, parts)
    pg.goto(server["base"] + "/search?q=medvedev&outlet=vna")
    panel, results = pg.locator(".facet-panel").bounding_box(), pg.locator(".hits").bounding_box()
    assert panel["y"] + panel["height"] <= results["y"]  # the filters sit above the results
    assert not pg.locator(".facet[data-facet=outlet]").is_visible()  # folded
    pg.screenshot(path=str(ARTIFACTS / "phone-folded.png"), full_page=True)
    pg.locator(".facet-panel > summary").focus()
    pg.keyboard.press("Enter")  # the panel opens by keyboard too
    assert pg.locator(".facet[data-facet=outlet]").is_visible()
    rows = pg.locator(".facet-value")
    assert not _overlaps([rows.nth(i).bounding_box() for i in range(rows.count())])
    pg.screenshot(path=str(ARTIFACTS / "phone-open.png"), full_page=True)
    context.close()


def test_vietnamese_ui_everywhere_and_every_link_keeps_it(server, browser):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    pg = context.new_page()
    pg.goto(server["base"] + "/?ui=vi")
    assert pg.locator("h1").inner_text() == "Tra cứu tin đối ngoại Đảng"
    pg.fill("#q-home", '"hoang binh')
    pg.press("#q-home", "Enter")
    pg.wait_for_url(re.compile(r"ui=vi"))
    text = pg.locator("main").text_content()
    assert "Sắp xếp" in text and "Dòng thời gian" in text and "đã đóng dấu ngoặc kép" in text
    for word in ("Sort", "Timeline", "results", "Relevance", "closed an unclosed"):
        assert word not in text, word
    hrefs = pg.eval_on_selector_all("a[href^='/']", "els => els.map(e => e.getAttribute('href'))")
    assert hrefs and all("ui=vi" in h or "ui=en" in h for h in hrefs), [h for h in hrefs if "ui=" not in h]
    pg.locator(".facet[data-facet=outlet] a").first.click()
    pg.wait_for_url(re.compile(r"outlet="))
    assert "ui=vi" in pg.url
    pg.screenshot(path=str(ARTIFACTS / "results-vi.png"), full_page=True)
    context.close()
    # Chosen from the browser's language too.
    context = browser.new_context(locale="vi-VN", extra_http_headers={"Accept-Language": "vi-VN,vi;q=0.9"})
    pg = context.new_page()
    pg.goto(server["base"] + "/search?q=medvedev")
    assert pg.locator("html").get_attribute("lang") == "vi" and "Sắp xếp" in pg.locator("main").inner_text()
    context.close()


def test_favicon_json_twin_link_and_access_log(server, page):
    page.goto(server["base"] + "/search?q=cuba")
    assert page.locator(".summary .total").inner_text() == "1 result"
    twin = page.locator("link[rel=alternate][type='application/json']").get_attribute("href")
    with urllib.request.urlopen(server["base"] + twin, timeout=10) as r:
        assert json.load(r)["total"] == 1
    with urllib.request.urlopen(server["base"] + "/favicon.ico", timeout=10) as r:
        assert r.status == 200 and r.headers["Content-Type"] == "image/vnd.microsoft.icon"
    log = server["log"].read_text("utf-8", "replace")
    assert re.search(r'^127\.0\.0\.1 - - \[[^]]+\] "GET /search\?q=cuba HTTP/1\.1" 200 \d+ "-" "[^"]*Chrome',
                     log, re.M), log[-2000:]
    assert re.search(r'"GET /favicon.ico HTTP/1.1" 200 \d+ ', log)


def test_a_typed_filter_is_a_chip_that_removes_it(server, page):
    page.goto(server["base"] + "/search?q=&sort=newest")
    page.fill("#q-top", "medvedev lang:en outlet:vna")
    page.press("#q-top", "Enter")
    page.wait_for_url(re.compile(r"q=medvedev"))
    assert "sort=newest" in page.url and page.locator(".chip.typed").count() == 2
    assert page.locator(".sort a.current").inner_text() == "Newest"
    page.locator(".chip.typed[data-facet=language]").click()
    page.wait_for_url(re.compile(r"q=medvedev\+outlet%3Avna"))
    assert page.locator("#q-top").input_value() == "medvedev outlet:vna"
    assert page.locator(".chip.typed").count() == 1 and "sort=newest" in page.url
