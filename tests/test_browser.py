"""The web page in a real browser: Debian's Chromium, headless, driven by Playwright.

`thucydides serve` runs as a subprocess on a free loopback port over a store filled by
`thucydides ingest` of the project's examples and of a fictional article whose text holds
markup. The tests search, open an article, an actor and the network, and save a
screenshot of each to test-artifacts/ (with UPDATE_SCREENSHOTS=1, also to docs/screenshots/
for the README; squeeze those with `pngquant --ext .png --force docs/screenshots/*.png`). Every request the page makes must go to that server: nothing from a CDN.

Chromium comes from Debian (`apt-get install chromium`, which .ci/run does); Playwright's
own browser download is never used. Without either, these tests skip with a message, and
fail in CI.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "examples").glob("*.txt"))
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("THUCYDIDES_CHROMIUM", "/usr/bin/chromium")
# Headless as root on a machine with no network: no sandbox, no GPU, no background traffic.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1200, "height": 820}

MARKUP_ARTICLE = """Velk warns of a <b>fake</b> statement

PORT ILVAR, June 20, 2025 — Amara Velk, Veloria's foreign minister, said on Friday that a message reading <script>alert("pwned")</script> had been posted in her name by an impostor.
“Nobody should believe a page that shouts <b>urgent</b> at them,” Velk told reporters in Port Ilvar.
"""


def _need_browser() -> None:
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the playwright package is not installed: pip install -e '.[dev]'"
    if problem is None and not os.access(CHROMIUM, os.X_OK):
        problem = (f"{CHROMIUM} is missing: the browser tests drive Debian's Chromium; install it with "
                   "`apt-get install chromium` (.ci/run does) or set THUCYDIDES_CHROMIUM to a Chromium binary")
    if problem:
        if os.environ.get("CI"):
            pytest.fail(problem)
        pytest.skip(problem)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The base URL of `thucydides serve` over a store of the examples and the markup article."""
    _need_browser()
    tmp = tmp_path_factory.mktemp("browser")
    (tmp / "examples").mkdir()
    for name in EXAMPLES:  # ingested by relative path, so that the page shows examples/...
        shutil.copyfile(ROOT / name, tmp / name)
    (tmp / "velk-fake-statement.txt").write_text(MARKUP_ARTICLE, encoding="utf-8")
    db = tmp / "web.db"
    r = subprocess.run([sys.executable, "-m", "thucydides", "ingest", "--db", str(db), *EXAMPLES,
                        "velk-fake-statement.txt"], capture_output=True, text=True, timeout=600, cwd=tmp, check=False)
    assert r.returncode == 0, r.stderr
    port = _free_port()
    with open(tmp / "serve.log", "w+") as log:
        proc = subprocess.Popen([sys.executable, "-m", "thucydides", "serve", "--db", str(db), "--port", str(port),
                                 "--no-access-log"], stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(base + "/api/health", timeout=2) as resp:
                        if resp.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    pytest.fail(f"thucydides serve did not start:\n{log.read()}")
                time.sleep(0.2)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    """A fresh page whose every request must go to the server, with no script error and no dialog."""
    context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1)
    problems: list[str] = []

    def only_the_server(route):
        if route.request.url.startswith(server + "/"):
            route.continue_()
        else:
            problems.append(f"a request left the server: {route.request.url}")
            route.abort()

    context.route("**/*", only_the_server)
    pg = context.new_page()
    pg.on("pageerror", lambda exc: problems.append(f"script error: {exc}"))
    pg.on("console", lambda msg: problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)

    def dialog(d):
        problems.append(f"a dialog opened: {d.message}")
        d.dismiss()

    pg.on("dialog", dialog)
    pg.base = server
    yield pg
    context.close()
    assert not problems, problems


def goto(page, path: str) -> None:
    page.goto(page.base + path)
    page.wait_for_selector("body[data-ready=true]", timeout=20_000)


def submit(page, url: str) -> None:
    """Send the page's form and wait for the page it leads to (`url`, a glob) to be ready."""
    page.click("button[type=submit]")
    page.wait_for_url(url)
    page.wait_for_selector("body[data-ready=true]")


def screenshot(page, name: str, full_page: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SCREENSHOTS / f"{name}.png")


def test_search_what_was_said(page):
    goto(page, "/")
    page.fill("input[name=q]", "ceasefire")
    page.fill("input[name=since]", "2025-06-01")
    submit(page, "**/?q=ceasefire*")
    results = page.locator("article.quote")
    assert results.count() >= 2
    assert "statements" in page.locator(".pager .count").first.inner_text()
    for i in range(results.count()):
        item = results.nth(i)
        assert item.locator("time").inner_text() >= "2025-06-01"
        assert item.locator("a.article-link").get_attribute("href").startswith("/articles/")
    assert page.locator("article.quote mark").first.inner_text().lower().startswith("ceasefire")
    assert page.input_value("input[name=q]") == "ceasefire"  # the form keeps the search
    screenshot(page, "quotes")


def test_only_statements_the_analyzer_is_sure_of(page):
    goto(page, "/")
    everyone = page.locator("article.quote")
    shown = [float(everyone.nth(i).get_attribute("data-confidence")) for i in range(everyone.count())]
    assert min(shown) < 0.9 <= max(shown)  # the examples hold both
    assert "% sure" in everyone.first.locator(".meta").first.inner_text()
    page.fill("input[name=min_confidence]", "0.9")
    submit(page, "**/?*min_confidence=0.9*")
    sure = page.locator("article.quote")
    assert sure.count() >= 1
    assert all(float(sure.nth(i).get_attribute("data-confidence")) >= 0.9 for i in range(sure.count()))
    total = page.locator(".pager .count").first.inner_text()
    goto(page, "/")
    assert page.locator(".pager .count").first.inner_text() != total  # fewer than all of them
    goto(page, "/?min_confidence=0.9")
    assert page.input_value("input[name=min_confidence]") == "0.9"  # the form keeps the filter


def test_open_an_article_from_a_quote(page):
    goto(page, "/?q=killing")
    first = page.locator("article.quote a.article-link").first
    assert "Veloria and Ostrane" in first.inner_text()
    first.click()
    page.wait_for_url("**/articles/*#q-*")
    page.wait_for_selector("body[data-ready=true]")
    assert "Veloria and Ostrane" in page.locator("h1").inner_text()
    text = page.locator(".text")
    for cls in ("hl-quote", "hl-speaker", "hl-cue", "hl-trigger", "hl-mention"):
        assert text.locator("." + cls).count() > 0, cls
    # the quote the search found is marked in the text and in the list beside it
    active = text.locator(".hl-quote.active")
    assert active.count() > 0 and "killing" in " ".join(active.all_inner_texts())
    assert page.locator(".side-list li.active").count() == 1
    # every statement in the list jumps to its place in the text
    statements = page.locator("aside ol.side-list").first.locator("li")
    assert statements.count() >= 5
    statements.nth(2).locator("a.jump").click()
    assert page.locator("#side-q-2").get_attribute("class") == "active"
    assert text.locator('[data-q="2"].active').count() > 0
    # speakers and actors link to their pages
    speaker = text.locator("a.hl-speaker[href^='/actors/']").first
    assert speaker.count() == 1
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "article")


def test_an_actor_page_shows_statements_and_events_over_time(page):
    goto(page, "/actors?q=velk")
    link = page.locator("table.grid a.actor", has_text="Amara Velk").first
    link.click()
    page.wait_for_url("**/actors/*")
    page.wait_for_selector("body[data-ready=true]")
    assert page.locator("h1").inner_text() == "Amara Velk"
    assert page.locator("svg.chart rect.bar-statements").count() >= 1
    said = page.locator("ol.timeline li.said")
    assert said.count() >= 2
    months = page.locator("ol.timeline li.month").all_inner_texts()
    assert months == sorted(months, reverse=True) and "2025-06" in months
    href = said.first.locator("a.article-link").get_attribute("href")
    assert href.startswith("/articles/") and "#q-" in href
    screenshot(page, "actor")


def test_the_network_of_actors(page):
    goto(page, "/network")
    svg = page.locator("svg.network")
    assert svg.locator("a.node").count() >= 4
    assert svg.locator("path.edge").count() >= 2
    assert svg.locator("path.edge-cooperation").count() >= 1 and svg.locator("path.edge-conflict").count() >= 1
    node = svg.locator("a.node").first
    assert node.get_attribute("href").startswith("/actors/")
    screenshot(page, "network", full_page=True)


def test_markup_in_an_article_is_shown_as_text(page):
    goto(page, "/articles?q=impostor")
    page.locator("ul.list a", has_text="fake").first.click()
    page.wait_for_url("**/articles/*")
    page.wait_for_selector("body[data-ready=true]")
    text = page.locator(".text")
    shown = text.inner_text()
    assert '<script>alert("pwned")</script>' in shown and "<b>urgent</b>" in shown
    assert text.locator("script, b").count() == 0  # no element was made from the article
    assert page.locator("h1").inner_text() == "Velk warns of a <b>fake</b> statement"
    assert "<b>urgent</b>" in page.locator("aside").inner_text()  # the list of statements
    # and in the search results
    goto(page, "/?q=urgent")
    assert "<b>urgent</b>" in page.locator("article.quote blockquote").first.inner_text()
    assert page.locator("article.quote b").count() == 0
    screenshot(page, "markup")
