"""The command line on good and bad input, as a user runs it."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "thucydides", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=300, check=False)


@pytest.fixture
def good(tmp_path) -> Path:
    p = tmp_path / "good.txt"
    p.write_text("Amara Velk, Veloria’s foreign minister, said: “We will not sign this agreement.”\n",
                 encoding="utf-8")
    return p


def test_jsonl_prints_one_record_per_input_and_nothing_else(good, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text('"The border will reopen on Monday," the envoy said.', encoding="utf-8")
    r = run("analyze", "--format", "jsonl", str(good), str(other))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert len(lines) == 2
    recs = [json.loads(line) for line in lines]
    assert recs[0]["path"] == str(good) and recs[1]["path"] == str(other)
    assert recs[0]["text"] == good.read_text(encoding="utf-8")
    assert any(a["kind"] == "direct" for a in recs[0]["attributions"])


def test_bad_inputs_are_named_and_the_rest_is_analysed(good, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("Le ministre a déclaré".encode("latin-1"))
    missing = tmp_path / "missing.txt"
    r = run("analyze", "--format", "jsonl", str(empty), str(binary), str(good), str(latin), str(missing))
    assert r.returncode != 0
    err = r.stderr.decode()
    for p in (empty, binary, latin, missing):
        assert str(p) in err
    assert "empty" in err and "binary" in err and "UTF-8" in err and "no such file" in err
    # one line of error per bad input
    assert len([line for line in err.splitlines() if "skipped" in line]) == 4
    recs = [json.loads(line) for line in r.stdout.decode().splitlines()]
    assert [rec["path"] for rec in recs] == [str(good)]


def test_stdin_and_text_report(good):
    r = run("analyze", "-", stdin=good.read_bytes())
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert "Who said what" in out and "Amara Velk" in out and "We will not sign this agreement" in out


def test_bom_is_dropped_and_offsets_index_the_file(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes("\ufeff“We are ready,” the minister said.\r\n".encode("utf-8"))
    r = run("analyze", "--format", "jsonl", str(p))
    rec = json.loads(r.stdout)
    assert rec["text"] == "“We are ready,” the minister said.\r\n"
    (att,) = [a for a in rec["attributions"] if a["kind"] == "direct"]
    assert rec["text"][att["content"]["start"]:att["content"]["end"]].rstrip(",") == "We are ready"


def test_html_file_is_extracted(tmp_path):
    p = tmp_path / "page.html"
    body = " ".join(["The fictional Republic of Veloria held talks with the Kingdom of Ostrane."] * 4)
    p.write_text(f"""<!doctype html><html><head><title>Veloria talks</title></head><body>
<nav>Home | World | Sport</nav><article><h1>Veloria talks</h1>
<p>{body}</p><p>“We want peace with our neighbours,” Prime Minister Tomas Reyle said on Tuesday.</p>
</article><footer>Copyright 2025</footer></body></html>""", encoding="utf-8")
    r = run("analyze", "--format", "jsonl", str(p))
    assert r.returncode == 0, r.stderr
    rec = json.loads(r.stdout)
    assert "Home | World" not in rec["text"] and "Copyright" not in rec["text"]
    assert any(a["content"]["text"].startswith("We want peace") for a in rec["attributions"])


def test_bad_published_date_is_refused(good):
    r = run("analyze", "--published", "14/02/2025", str(good))
    assert r.returncode == 2 and b"YYYY-MM-DD" in r.stderr
