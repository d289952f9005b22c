"""Ingest from real files of every kind into a real store (SQLite and PostgreSQL).

Every input is a file the test writes: text, HTML, RSS, Atom, WARC (written with warcio),
JSON Lines, directories, globs and lists. No network. All people and places are invented.
"""
from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from store_helpers import dump, fictional_article, wire_copy

from thucydides.ingest import ingest
from thucydides.model import url_article_id
from thucydides.store import open_store


def page(title: str, body: str) -> str:
    paras = "".join(f"<p>{line}</p>\n" for line in body.splitlines() if line.strip())
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>
<meta property="article:published_time" content="2025-06-12T09:00:00Z"></head>
<body><nav>Home | World | Sport | Weather</nav><article><h1>{title}</h1>\n{paras}</article>
<footer>Copyright 2025 The Ostrane Courier. All rights reserved.</footer></body></html>"""


def rss(entries: list[tuple[str, str, str]]) -> str:
    def paras(body: str) -> str:
        return "".join(f"<p>{x}</p>" for x in body.splitlines() if x)

    items = "".join(f"""<item><title>{t}</title><link>{link}</link>
<pubDate>Thu, 12 Jun 2025 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[{paras(body)}]]></content:encoded></item>
""" for t, link, body in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Veloria Daily</title><link>https://veloria-daily.example/</link><description>News</description>
{items}</channel></rss>"""


def atom(entries: list[tuple[str, str, str]]) -> str:
    def paras(body: str) -> str:
        return "".join(f"&lt;p&gt;{x}&lt;/p&gt;" for x in body.splitlines() if x)

    items = "".join(f"""<entry><title>{t}</title><link href="{link}"/><id>{link}</id>
<updated>2025-06-13T10:00:00Z</updated><content type="html">{paras(body)}</content></entry>
""" for t, link, body in entries)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ostrane Wire</title><id>urn:ostrane-wire</id>
<updated>2025-06-13T10:00:00Z</updated>{items}</feed>"""


def write_warc(path: Path, pages: list[tuple[str, str]], extra: bool = True) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        w = WARCWriter(f, gzip=str(path).endswith(".gz"))
        for url, html in pages:
            if extra:  # a request record, which is not an article
                w.write_record(w.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record(url, "response", payload=io.BytesIO(html.encode("utf-8")),
                                                http_headers=headers))
        if extra:  # an image, which is not an article either
            headers = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            w.write_record(w.create_warc_record("https://veloria-daily.example/logo.png", "response",
                                                payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(200)),
                                                http_headers=headers))


class Skips(list):
    def __call__(self, err):
        self.append((err.name, err.problem))


@pytest.fixture
def corpus(tmp_path) -> dict[str, Path]:
    """One source of every kind, each with distinct fictional articles."""
    d = tmp_path / "in"
    (d / "texts").mkdir(parents=True)
    (d / "texts" / "a.txt").write_text(fictional_article(1, 8), encoding="utf-8")
    (d / "texts" / "b.txt").write_text(fictional_article(2, 8), encoding="utf-8")
    (d / "texts" / ".hidden.txt").write_text(fictional_article(99, 8), encoding="utf-8")
    (d / "page.html").write_text(page("Talks in Port Ilvar", fictional_article(3, 8)), encoding="utf-8")
    (d / "daily.rss").write_text(rss([("Veloria ratifies truce", "https://veloria-daily.example/truce",
                                       fictional_article(4, 8)),
                                      ("Ostrane names envoy", "https://veloria-daily.example/envoy?utm_source=rss",
                                       fictional_article(5, 8))]), encoding="utf-8")
    (d / "wire.atom").write_text(atom([("Marenia talks", "https://ostrane-wire.example/marenia",
                                        fictional_article(6, 8))]), encoding="utf-8")
    write_warc(d / "crawl.warc.gz", [("https://courier.example/1", page("Caldoria vote", fictional_article(7, 8))),
                                     ("https://courier.example/2", page("Kessa aid", fictional_article(8, 8)))])
    with open(d / "items.jsonl", "w", encoding="utf-8") as f:
        f.write(json.dumps({"text": fictional_article(9, 8), "url": "https://jsonl.example/9", "title": "Nine",
                            "published": "2025-06-14T08:00:00+00:00", "source": "JSONL Times"}) + "\n\n")
        f.write(json.dumps({"html": page("Ten", fictional_article(10, 8)), "title": "Ten"}) + "\n")
    (d / "sources.txt").write_text("# what I follow\ndaily.rss\n\nwire.atom\n", encoding="utf-8")
    return {"dir": d}


def test_every_kind_of_source_is_read_into_the_store(db_url, corpus, pipeline):
    d = corpus["dir"]
    skips = Skips()
    with open_store(db_url) as store:
        report = ingest([str(d / "texts"), str(d / "*.html"), str(d / "sources.txt"), str(d / "crawl.warc.gz"),
                         str(d / "items.jsonl")], store, pipeline=pipeline, on_skip=skips)
        assert skips == []
        assert (report.read, report.stored, report.skipped) == (10, 10, [])
        arts = {a["link"]: a for a in store.articles()}
        # WARC records, feed entries and JSON Lines with a URL are named (and identified) by their URL
        for url in ("https://courier.example/1", "https://courier.example/2", "https://veloria-daily.example/truce",
                    "https://ostrane-wire.example/marenia", "https://jsonl.example/9"):
            assert url in arts and arts[url]["id"] == url_article_id(url)
        # tracking parameters do not change an article's identity
        envoy = [a for a in arts if "envoy" in a]
        assert len(envoy) == 1 and arts[envoy[0]]["id"] == url_article_id("https://veloria-daily.example/envoy")
        assert arts["https://veloria-daily.example/truce"]["title"] == "Veloria ratifies truce"
        assert arts["https://veloria-daily.example/truce"]["published"] == "2025-06-12"
        assert arts["https://veloria-daily.example/truce"]["source"] == "Veloria Daily"
        assert arts["https://ostrane-wire.example/marenia"]["published"] == "2025-06-13"
        assert arts["https://jsonl.example/9"]["published"] == "2025-06-14"
        assert arts["https://jsonl.example/9"]["source"] == "JSONL Times"
        assert f"{d / 'items.jsonl'}:3" in arts  # a JSONL line without a URL is named FILE:LINE
        assert str(d / "texts" / "a.txt") in arts and not any(".hidden" in a for a in arts)
        # HTML boilerplate is left out of the stored text
        rec = store.get(arts["https://courier.example/1"]["id"])
        assert "Copyright" not in rec["text"] and "Home | World" not in rec["text"]
        assert rec["published"] == "2025-06-12"
        assert store.stats()["attributions"] > 0


def test_the_same_ingest_twice_adds_nothing(db_url, corpus, pipeline):
    d = corpus["dir"]
    sources = [str(d)]
    with open_store(db_url) as store:
        first = ingest(sources, store, pipeline=pipeline, on_skip=Skips())
        before = dump(db_url)
        second = ingest(sources, store, pipeline=pipeline, on_skip=Skips())
    assert first.stored == 10
    assert (second.stored, second.updated, second.duplicates, second.unchanged) == (0, 0, 0, first.read)
    assert dump(db_url) == before


def test_copies_are_stored_once_and_linked_to_the_original(db_url, tmp_path, pipeline):
    original = fictional_article(21, 10)
    (tmp_path / "1-original.txt").write_text(original, encoding="utf-8")
    (tmp_path / "2-same-text.txt").write_text(original.replace("\n", "\r\n"), encoding="utf-8")  # exact copy
    (tmp_path / "3-wire-copy.txt").write_text(wire_copy(original), encoding="utf-8")          # near copy
    (tmp_path / "4-other.txt").write_text(fictional_article(22, 10), encoding="utf-8")
    write_warc(tmp_path / "5-copy.warc", [("https://mirror.example/copy", page("Copy", wire_copy(original)))],
               extra=False)
    with open_store(db_url) as store:
        report = ingest([str(tmp_path / "*.txt"), str(tmp_path / "5-copy.warc")], store, pipeline=pipeline)
        assert (report.stored, report.exact_duplicates, report.near_duplicates) == (2, 1, 2)
        orig_id = next(a["id"] for a in store.articles() if a["link"].endswith("1-original.txt"))
        dups = {d["copy"].rsplit("/", 1)[-1]: d for d in store.duplicates()}
        assert set(dups) == {"2-same-text.txt", "3-wire-copy.txt", "copy"}
        assert all(d["original_id"] == orig_id for d in dups.values())
        assert dups["2-same-text.txt"]["kind"] == "exact" and dups["2-same-text.txt"]["similarity"] == 1.0
        assert dups["3-wire-copy.txt"]["kind"] == "near" and 0.8 <= dups["3-wire-copy.txt"]["similarity"] < 1
        assert {a["link"].rsplit("/", 1)[-1]: a["copies"] for a in store.articles()} == {
            "1-original.txt": 3, "4-other.txt": 0}
        again = ingest([str(tmp_path)], store, pipeline=pipeline)
        assert (again.stored, again.duplicates, again.unchanged) == (0, 0, 5)
        assert store.stats()["duplicates"] == 3


def test_an_article_read_again_with_new_text_is_updated(db_url, tmp_path, pipeline):
    feed = tmp_path / "feed.rss"
    feed.write_text(rss([("Truce", "https://veloria-daily.example/truce", fictional_article(31, 8))]))
    with open_store(db_url) as store:
        ingest([str(feed)], store, pipeline=pipeline)
        feed.write_text(rss([("Truce (updated)", "https://veloria-daily.example/truce", fictional_article(32, 8))]))
        report = ingest([str(feed)], store, pipeline=pipeline)
        assert (report.stored, report.updated) == (0, 1)
        (art,) = store.articles()
        assert art["title"] == "Truce (updated)" and "report 32" in store.get(art["id"])["text"]


def test_each_bad_item_is_named_and_skipped_and_the_rest_is_stored(db_url, tmp_path, pipeline):
    good = tmp_path / "good.txt"
    good.write_text(fictional_article(41, 8), encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    empty = tmp_path / "empty.txt"
    empty.write_text(" \n\n", encoding="utf-8")
    broken = tmp_path / "broken.html"
    broken.write_text("<html><head><title></title><body><div><table><tr><td><div></span></p", encoding="utf-8")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(fictional_article(42, 8).replace("’", "'").replace("“", '"').replace("”", '"')
                      .encode("utf-8") + "Le ministre a déclaré".encode("latin-1"))
    notxml = tmp_path / "feed.rss"
    notxml.write_text("This is the feed you asked for: not XML at all, just words.\n", encoding="utf-8")
    warc = tmp_path / "cut.warc.gz"
    write_warc(warc, [(f"https://courier.example/{i}", page(f"Story {i}", fictional_article(50 + i, 8)))
                      for i in range(3)], extra=False)
    data = warc.read_bytes()
    warc.write_bytes(data[:len(data) - 400])  # the last record is cut short
    jsonl = tmp_path / "items.jsonl"
    good_item = json.dumps({"text": fictional_article(60, 8), "url": "https://jsonl.example/ok"})
    jsonl.write_text(good_item + '\n{"text": \n{"title": "no text"}\n', encoding="utf-8")
    missing = tmp_path / "missing.txt"
    skips = Skips()
    sources = [binary, empty, broken, good, latin, notxml, warc, jsonl, missing]
    with open_store(db_url) as store:
        report = ingest([str(s) for s in sources], store, pipeline=pipeline, on_skip=skips)
        links = sorted(a["link"] for a in store.articles())
    problems = dict(skips)
    assert problems[str(binary)].startswith("the input is binary")
    assert problems[str(empty)].startswith("the input is empty")
    assert problems[str(broken)].startswith("no article text found")
    assert problems[str(latin)].startswith("not valid UTF-8")
    assert problems[str(notxml)].startswith("not an RSS or Atom feed")
    assert problems[str(missing)] == "no such file"
    cut = [name for name in problems if name.startswith(str(warc))]
    assert len(cut) == 1 and "https://courier.example/2" in cut[0]
    assert "truncated" in problems[cut[0]]
    assert problems[f"{jsonl}:2"].startswith("not valid JSON")
    assert problems[f"{jsonl}:3"] == 'has neither "text" nor "html"'
    assert len(skips) == len(report.skipped) == 9
    assert links == sorted([str(good), "https://courier.example/0", "https://courier.example/1",
                            "https://jsonl.example/ok"])
    assert report.stored == 4


def test_a_gzip_jsonl_or_warc_of_garbage_is_reported(db_url, tmp_path, pipeline):
    bad = tmp_path / "garbage.warc.gz"
    bad.write_bytes(gzip.compress(b"this is not a WARC record at all\n" * 20))
    skips = Skips()
    with open_store(db_url) as store:
        report = ingest([str(bad)], store, pipeline=pipeline, on_skip=skips)
    assert report.read == 0 and len(skips) == 1 and skips[0][0].startswith(str(bad))


@pytest.fixture
def local_site(tmp_path):
    """A web server on 127.0.0.1 serving a summary-only feed and the article pages it links to."""
    import functools
    import http.server
    import threading

    site = tmp_path / "site"
    site.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(site)))
    server.RequestHandlerClass.log_message = lambda *a: None
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for i in (1, 2):
        (site / f"story{i}.html").write_text(page(f"Story {i}", fictional_article(70 + i, 8)), encoding="utf-8")
    (site / "feed.xml").write_text(rss([(f"Story {i}", f"{base}/story{i}.html", f"A short summary of story {i}.")
                                        for i in (1, 2)]), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield site, base
    server.shutdown()
    server.server_close()


def test_urls_are_fetched_only_when_asked_and_summaries_lead_to_their_pages(db_url, local_site, pipeline):
    site, base = local_site
    with open_store(db_url) as store:
        # a feed file holding only summaries: stored as they are, no page fetched
        report = ingest([str(site / "feed.xml")], store, pipeline=pipeline, on_skip=Skips())
        assert report.stored == 2
        assert all(store.get(a["id"])["text"].startswith("A short summary") for a in store.articles())
        # the same feed by URL: the linked pages are fetched and replace the summaries
        report = ingest([f"{base}/feed.xml"], store, pipeline=pipeline, on_skip=Skips())
        assert (report.updated, report.skipped) == (2, [])
        texts = {a["link"]: store.get(a["id"])["text"] for a in store.articles()}
        assert "report 71" in texts[f"{base}/story1.html"] and "Copyright" not in texts[f"{base}/story1.html"]
        # a page by URL is an article; a URL that fails is named and skipped
        skips = Skips()
        report = ingest([f"{base}/story2.html", f"{base}/missing.html"], store, pipeline=pipeline, on_skip=skips)
        assert report.unchanged == 1
        assert skips == [(f"{base}/missing.html", "the server answered 404 File not found")]
