"""Cross-validated event figures on the PLOVER sentences, through the whole analyzer.

    .venv/bin/python benchmarks/plover_cv.py ../shared/eval/plover/train.csv --folds 5

For each fold, the event models are trained on the other folds (training/train_events.py),
written to a temporary file, and the held-out sentences are scored by
`../shared/tools/thuc_eval.py plover` running `thucydides analyze` with that model
(THUCYDIDES_EVENT_MODEL): the same code path as a user's, on sentences the model never saw.
Prints each fold and the pooled type accuracy, macro-F1 (mean over folds), source, target
and full match. Needs scikit-learn to train. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "training"))

import train_events as te


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("csv", type=Path)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13, help="shuffle of the sentences into folds (the figures vary "
                                                          "by about a point from one shuffle to another)")
    ap.add_argument("--scorer", type=Path, default=ROOT.parent / "shared" / "tools" / "thuc_eval.py")
    ap.add_argument("--cmd", default=f"{ROOT / '.venv' / 'bin' / 'thucydides'} analyze --format jsonl")
    args = ap.parse_args()
    if not args.csv.exists() or not args.scorer.exists():
        raise SystemExit(f"{args.csv} or {args.scorer} is absent: this benchmark needs ../shared")
    rows = te.read_rows(args.csv)
    items = te.parse(rows)
    fields = list(rows[0].keys())
    pooled = {"type_accuracy": 0.0, "source_match": 0.0, "target_match": 0.0, "full_match": 0.0}
    macro = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, held in enumerate(te.folds(len(rows), args.folds, args.seed)):
            hs = set(held)
            data = te.fit([it for i, it in enumerate(items) if i not in hs])
            model_path = Path(tmp) / f"events-{k}.json"
            model_path.write_text(json.dumps(data), encoding="utf-8")
            csv_path = Path(tmp) / f"fold-{k}.csv"
            with open(csv_path, "w", encoding="utf-8", newline="") as f:
                w = csv.DictWriter(f, fieldnames=fields)
                w.writeheader()
                for i in sorted(held):
                    w.writerow(rows[i])
            env = dict(os.environ, THUCYDIDES_EVENT_MODEL=str(model_path))
            out = subprocess.run([sys.executable, str(args.scorer), "plover", str(csv_path), "--cmd", args.cmd,
                                  "--json"], capture_output=True, text=True, env=env, check=True)
            r = json.loads(out.stdout)
            print(f"fold {k}: n {r['sentences']}  type {r['type_accuracy']}  macro-F1 {r['type_macro_f1']}  "
                  f"source {r['source_match']}  target {r['target_match']}  full {r['full_match']}", flush=True)
            for key in pooled:
                pooled[key] += r[key] * len(held)
            macro.append(r["type_macro_f1"])
    n = len(rows)
    print(f"all {args.folds} folds ({n} sentences): " + "  ".join(
        f"{key} {v / n:.1f}" for key, v in pooled.items()) + f"  type_macro_f1 {sum(macro) / len(macro):.1f}")



if __name__ == "__main__":
    main()
