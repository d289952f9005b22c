"""Ingest: sources -> articles -> duplicates set aside -> analysis -> the store.

    from thucydides.ingest import ingest
    from thucydides.store import open_store
    with open_store("thucydides.db") as store:
        report = ingest(["feeds.txt", "archive.warc.gz"], store, workers=2)

How it stays reliable:
- The parent process reads the sources, decides for each article whether it is new, an
  update, already stored, or a copy of a stored article, and writes every result in input
  order. Only new and updated articles are analysed (by a `Pipeline`, in this process or in
  `workers` processes that each load the model once).
- Each article is written in one transaction (with its fingerprints, actors, attributions
  and events), and each copy in another. So a run killed at any moment leaves whole
  articles only; run again, the stored ones are recognised and skipped, and the rest is
  decided against the same store it would have met: the end state equals an uninterrupted
  run's.
- An item that cannot be read or analysed is reported (its name, the problem, what to do)
  and skipped; the run goes on.
"""
from __future__ import annotations

import multiprocessing
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

from .errors import InputError
from .model import Analysis, Article
from .sources.dedupe import NEAR_DUPLICATE, Fingerprint, fingerprint, jaccard
from .sources.discover import expand, read_source
from .store.store import Store, locator


@dataclass
class IngestReport:
    sources: int = 0
    read: int = 0
    stored: int = 0
    updated: int = 0
    unchanged: int = 0
    exact_duplicates: int = 0
    near_duplicates: int = 0
    skipped: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def duplicates(self) -> int:
        return self.exact_duplicates + self.near_duplicates

    def reasons(self) -> dict[str, int]:
        return dict(Counter(s["problem"].split(" (")[0] for s in self.skipped).most_common())

    def to_dict(self) -> dict[str, Any]:
        return {"sources": self.sources, "read": self.read, "stored": self.stored, "updated": self.updated,
                "unchanged": self.unchanged, "duplicates": self.duplicates,
                "exact_duplicates": self.exact_duplicates, "near_duplicates": self.near_duplicates,
                "skipped": len(self.skipped), "skipped_reasons": self.reasons(), "skipped_items": self.skipped,
                "seconds": round(self.seconds, 2)}

    def summary(self) -> str:
        s = (f"{self.read} articles read from {self.sources} sources: {self.stored} stored, {self.updated} updated, "
             f"{self.unchanged} already stored, {self.duplicates} duplicates "
             f"({self.exact_duplicates} exact, {self.near_duplicates} near), {len(self.skipped)} skipped")
        if self.skipped:
            s += " (" + ", ".join(f"{reason}: {n}" for reason, n in self.reasons().items()) + ")"
        return s


# ---------------------------------------------------------------- analysis, in-process or in workers

_worker_pipeline = None


def _init_worker(actors_files: tuple[str, ...], batch_size: int) -> None:
    global _worker_pipeline
    from .pipeline import Pipeline

    _worker_pipeline = Pipeline(actors_files=actors_files, batch_size=batch_size)


def _analyse_in_worker(articles: list[Article]) -> list[Analysis | str]:
    return analyse_batch(_worker_pipeline, articles)


def analyse_batch(pipeline, articles: list[Article]) -> list[Analysis | str]:
    """Analyses in order; an article the pipeline fails on gets an error message instead."""
    try:
        return list(pipeline.analyze_many(articles))
    except Exception:  # noqa: BLE001 - one bad article must not sink the batch: retry one by one
        out: list[Analysis | str] = []
        for art in articles:
            try:
                out.append(pipeline.analyze(art))
            except Exception as exc:  # noqa: BLE001 - reported as this article's error, the rest go on
                out.append(f"the analysis failed ({exc.__class__.__name__}: {exc}); please report this article")
        return out


# ---------------------------------------------------------------- progress on stderr

class Progress:
    """One line on stderr, redrawn at most ten times a second: sources done, articles, rate."""

    def __init__(self, total: int, stream: TextIO | None = None, enabled: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.done, self.started, self.last, self.drawn = total, 0, time.monotonic(), 0.0, False

    def update(self, done: int, report: IngestReport, force: bool = False) -> None:
        self.done = done
        now = time.monotonic()
        if not self.enabled or (not force and now - self.last < 0.1):
            return
        self.last = now
        width = 24
        filled = int(width * done / self.total) if self.total else width
        done_items = report.stored + report.updated + report.unchanged + report.duplicates + len(report.skipped)
        rate = done_items / max(now - self.started, 1e-6)
        line = (f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} sources, {done_items} items: "
                f"{report.stored + report.updated} stored, {report.duplicates} duplicates, "
                f"{len(report.skipped)} skipped, {rate:.1f}/s ")
        self.stream.write(line)
        self.stream.flush()
        self.drawn = True

    def message(self, text: str) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
        self.stream.write(text + "\n")
        self.stream.flush()

    def close(self, report: IngestReport) -> None:
        if self.enabled:
            self.update(self.done, report, force=True)
            self.stream.write("\n")
            self.stream.flush()


# ---------------------------------------------------------------- deciding and writing

@dataclass
class _Slot:
    """One item in input order: what to do with it, decided before any analysis."""

    action: str                      # analyse | update | duplicate | unchanged | skip
    source: int
    article: Article | None = None
    fp: Fingerprint | None = None
    original: str | None = None
    kind: str | None = None
    similarity: float = 1.0
    error: InputError | None = None
    result: Analysis | str | None = None


class _Pending:
    """Articles decided in this run but not yet committed, so later items are decided
    against them as they would be against the store."""

    def __init__(self) -> None:
        self.ids: dict[str, tuple[str, str | None]] = {}
        self.hashes: dict[str, str] = {}
        self.copies: set[str] = set()
        self.fps: dict[str, Fingerprint] = {}
        self.bands: dict[tuple[int, int], set[str]] = {}

    def add_article(self, article: Article, fp: Fingerprint) -> None:
        self.ids[article.id] = (fp.text_hash, article.url or article.path)
        self.hashes.setdefault(fp.text_hash, article.id)
        self.fps[article.id] = fp
        for band in fp.bands:
            self.bands.setdefault(band, set()).add(article.id)

    def forget_article(self, article: Article, fp: Fingerprint) -> None:
        self.ids.pop(article.id, None)
        if self.hashes.get(fp.text_hash) == article.id:
            del self.hashes[fp.text_hash]
        self.fps.pop(article.id, None)
        for band in fp.bands:
            ids = self.bands.get(band)
            if ids:
                ids.discard(article.id)
                if not ids:
                    del self.bands[band]

    def near(self, fp: Fingerprint) -> tuple[str, float] | None:
        cands = set().union(*(self.bands.get(b, set()) for b in fp.bands)) if fp.bands else set()
        best = None
        for aid in sorted(cands):
            sim = jaccard(set(fp.shingles), set(self.fps[aid].shingles))
            if sim >= NEAR_DUPLICATE and (best is None or sim > best[1]):
                best = (aid, sim)
        return best


class Ingest:
    def __init__(self, store: Store, *, workers: int = 1, actors_files: Iterable[str] = (), batch_size: int = 8,
                 fetch_links: bool | None = None, on_skip: Callable[[InputError], None] | None = None,
                 progress: bool | None = False, pipeline=None) -> None:
        self.store = store
        self.workers = max(1, int(workers))
        self.actors_files = tuple(actors_files)
        self.batch_size = max(1, batch_size)
        self.fetch_links = fetch_links
        self.on_skip = on_skip
        self.progress_enabled = progress
        self.pipeline = pipeline
        self.pending = _Pending()
        self.failed: set[str] = set()
        self._progress = Progress(0, enabled=False)

    # deciding ------------------------------------------------------------

    def decide(self, article: Article, source: int) -> _Slot:
        store, pending = self.store, self.pending
        fp = fingerprint(article.text)
        loc = article.url or article.path
        if loc and (loc in pending.copies or store.has_copy(loc)):
            return _Slot("unchanged", source, article, fp)
        prev = pending.ids.get(article.id) or store.stored(article.id)
        if prev:
            prev_hash, prev_loc = prev
            if prev_hash != fp.text_hash:
                pending.add_article(article, fp)
                return _Slot("update", source, article, fp)
            if loc is None or prev_loc is None or loc == prev_loc:
                return _Slot("unchanged", source, article, fp)
            return self._copy(article, fp, source, article.id, "exact", 1.0)
        original = pending.hashes.get(fp.text_hash) or store.by_text_hash(fp.text_hash)
        if original:
            return self._copy(article, fp, source, original, "exact", 1.0)
        near = [n for n in (pending.near(fp), store.near_duplicate(fp, NEAR_DUPLICATE)) if n]
        if near:
            aid, sim = min(near, key=lambda n: (-n[1], n[0]))
            return self._copy(article, fp, source, aid, "near", sim)
        pending.add_article(article, fp)
        return _Slot("analyse", source, article, fp)

    def _copy(self, article: Article, fp: Fingerprint, source: int, original: str, kind: str,
              sim: float) -> _Slot:
        self.pending.copies.add(locator(article))
        return _Slot("duplicate", source, article, fp, original=original, kind=kind, similarity=sim)

    # writing -------------------------------------------------------------

    def write(self, slot: _Slot, report: IngestReport) -> None:
        art, fp = slot.article, slot.fp
        if slot.action == "skip":
            self._skip(slot.error, report)
            return
        if slot.action in ("analyse", "update"):
            self.pending.forget_article(art, fp)
            if isinstance(slot.result, str):
                self.failed.add(art.id)
                self._skip(InputError(locator(art), slot.result), report)
                return
            self.store.add(slot.result, art, fp)
            if slot.action == "analyse":
                report.stored += 1
            else:
                report.updated += 1
        elif slot.action == "duplicate":
            self.pending.copies.discard(locator(art))
            if slot.original in self.failed:
                self._skip(InputError(locator(art), "a copy of an article whose analysis failed"), report)
                return
            self.store.add_duplicate(art, slot.original, slot.kind, slot.similarity, fp.text_hash)
            if slot.kind == "exact":
                report.exact_duplicates += 1
            else:
                report.near_duplicates += 1
        elif slot.action == "unchanged":
            report.unchanged += 1

    def _skip(self, error: InputError, report: IngestReport) -> None:
        report.skipped.append({"item": error.name, "problem": error.problem, "fix": error.fix})
        if self.on_skip is not None:
            self.on_skip(error)
        else:
            self._progress.message(f"thucydides: skipped {error}")

    # running -------------------------------------------------------------

    def slots(self, refs: list[str | InputError], report: IngestReport) -> Iterator[_Slot]:
        for i, ref in enumerate(refs, 1):
            if isinstance(ref, InputError):
                yield _Slot("skip", i, error=ref)
                continue
            for item in read_source(ref, fetch_links=self.fetch_links):
                if isinstance(item, InputError):
                    yield _Slot("skip", i, error=item)
                    continue
                report.read += 1
                yield self.decide(item, i)

    def batches(self, slots: Iterator[_Slot]) -> Iterator[list[_Slot]]:
        batch: list[_Slot] = []
        to_analyse = 0
        for slot in slots:
            batch.append(slot)
            to_analyse += slot.action in ("analyse", "update")
            if to_analyse >= self.batch_size or len(batch) >= 8 * self.batch_size:
                yield batch
                batch, to_analyse = [], 0
        if batch:
            yield batch

    def run(self, sources: list[str]) -> IngestReport:
        started = time.monotonic()
        report = IngestReport()
        refs = expand(sources)
        report.sources = sum(1 for r in refs if not isinstance(r, InputError))
        progress = self._progress = Progress(len(refs), enabled=self.progress_enabled)

        def flush(batch: list[_Slot]) -> None:
            for slot in batch:
                self.write(slot, report)
                progress.update(slot.source, report)

        batches = self.batches(self.slots(refs, report))
        try:
            if self.workers == 1:
                pipeline = self.pipeline
                for batch in batches:
                    todo = [s for s in batch if s.action in ("analyse", "update")]
                    if todo:
                        if pipeline is None:
                            from .pipeline import Pipeline

                            pipeline = self.pipeline = Pipeline(actors_files=self.actors_files)
                        for s, res in zip(todo, analyse_batch(pipeline, [s.article for s in todo])):
                            s.result = res
                    flush(batch)
            else:
                self._run_pool(batches, flush)
        finally:
            report.seconds = time.monotonic() - started
            progress.close(report)
        return report

    def _run_pool(self, batches: Iterator[list[_Slot]], flush: Callable[[list[_Slot]], None]) -> None:
        ctx = multiprocessing.get_context("spawn")
        pool = ctx.Pool(self.workers, initializer=_init_worker, initargs=(self.actors_files, self.batch_size))
        window: deque = deque()

        def finish_oldest() -> None:
            batch, todo, pending = window.popleft()
            if pending is not None:
                for s, res in zip(todo, pending.get()):
                    s.result = res
            flush(batch)

        try:
            for batch in batches:
                todo = [s for s in batch if s.action in ("analyse", "update")]
                pending = pool.apply_async(_analyse_in_worker, ([s.article for s in todo],)) if todo else None
                window.append((batch, todo, pending))
                while len(window) > 2 * self.workers:
                    finish_oldest()
            while window:
                finish_oldest()
            pool.close()
        except BaseException:
            pool.terminate()
            raise
        finally:
            pool.join()


def ingest(sources: list[str], store: Store, *, workers: int = 1, actors_files: Iterable[str] = (),
           fetch_links: bool | None = None, progress: bool | None = False,
           on_skip: Callable[[InputError], None] | None = None, pipeline=None) -> IngestReport:
    """Read `sources` (paths, directories, globs, lists, URLs) into `store`; see the module doc.

    Each skipped item goes to `on_skip`, or is printed on stderr as one line when it is None."""
    return Ingest(store, workers=workers, actors_files=actors_files, fetch_links=fetch_links, on_skip=on_skip,
                  progress=progress, pipeline=pipeline).run(sources)
