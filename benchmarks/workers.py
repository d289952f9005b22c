"""`thucydides ingest --workers 1` against `--workers 2`, with each process's peak memory.

    .venv/bin/python benchmarks/workers.py [--articles 3000] [--rounds 2] [--workers 1 2]

Writes `--articles` fictional articles (`benchmarks/synthetic.py`, all distinct: none is a
duplicate of another) to one JSON Lines file, then runs the real command line on it into a
fresh SQLite store, alternating the worker counts for `--rounds` rounds and keeping each
count's best wall time (other jobs on the machine only ever slow a run down). While a run
goes, it samples the peak resident memory (VmHWM) of the ingest process and each of its
workers. Prints the speed-up of N workers over one, measured in this run.

The issue's bar: `--workers 2` at least 1.7 x `--workers 1` (on 2 cores).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import articles


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(c) for c in f.read().split()]
        except OSError:
            pass
    return out


def _is_helper(pid: int) -> bool:
    """multiprocessing's resource tracker: a child, but not a worker."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return b"resource_tracker" in f.read()
    except OSError:
        return False


def _peak_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def run(n_workers: int, items: Path, workdir: Path) -> dict:
    db = workdir / f"w{n_workers}-{time.monotonic_ns()}.db"
    cmd = [sys.executable, "-m", "thucydides", "ingest", "--workers", str(n_workers), "--db", str(db), "--json",
           "--no-progress", str(items)]
    peaks: dict[int, int] = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            for pid in [proc.pid] + [c for c in _children(proc.pid) if not _is_helper(c)]:
                kib = _peak_kib(pid)
                if kib:
                    peaks[pid] = max(peaks.get(pid, 0), kib)
            done.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err}")
    summary = json.loads(out)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    parent = peaks.pop(proc.pid, 0)
    return {"seconds": seconds, "stored": summary["stored"], "parent_mib": parent / 1024,
            "worker_mib": sorted((k / 1024 for k in peaks.values()), reverse=True)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="thucydides-workers-") as tmp:
        workdir = Path(tmp)
        items = workdir / "items.jsonl"
        words = 0
        with open(items, "w", encoding="utf-8") as f:
            for a in articles(args.articles, seed=7):
                words += len(a["text"].split())
                f.write(json.dumps(a, ensure_ascii=False) + "\n")
        best: dict[int, dict] = {}
        for r in range(args.rounds):
            for n in args.workers:
                res = run(n, items, workdir)
                print(f"round {r + 1}: --workers {n}: {res['seconds']:6.1f} s, {res['stored']} stored, "
                      f"{args.articles / res['seconds']:5.1f} articles/s, load average {os.getloadavg()[0]:.1f}",
                      flush=True)
                if n not in best or res["seconds"] < best[n]["seconds"]:
                    best[n] = res
    print(f"{args.articles} articles, {words:,} words, best of {args.rounds} rounds on {os.cpu_count()} cores")
    base = best[args.workers[0]]["seconds"]
    for n in args.workers:
        b = best[n]
        workers = ", ".join(f"{m:.0f}" for m in b["worker_mib"]) or "none (analyses in the main process)"
        print(f"--workers {n}: {b['seconds']:6.1f} s  speed-up {base / b['seconds']:.2f}x   peak RSS: "
              f"main process {b['parent_mib']:.0f} MiB; workers {workers} MiB")
    print("[bar: --workers 2 >= 1.7 x --workers 1]")


if __name__ == "__main__":
    main()
