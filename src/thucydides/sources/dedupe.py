"""Exact and near-duplicate articles: syndicated wire copies are stored once.

Exact copies share the hash of their normalised text (`model.article_id`). Near-duplicates
(a wire story with a new headline, a byline, a sentence trimmed) are found with MinHash
over word 5-gram shingles and locality-sensitive hashing: the signature is cut into
`BANDS` bands of `ROWS` values, and two articles that share any band's hash are candidates
(an article pair with Jaccard similarity 0.8 shares one with probability > 0.99). A
candidate is a duplicate when the exact Jaccard similarity of the two shingle sets is at
least `NEAR_DUPLICATE`. The band hashes live in the store (`fingerprints`), written in the
same transaction as the article, so the index survives restarts and crashes with it.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import article_id

SHINGLE = 5
BANDS, ROWS = 20, 6
NUM_PERM = BANDS * ROWS
NEAR_DUPLICATE = 0.8
MIN_TOKENS = 40  # shorter texts are only ever exact duplicates: a few words say too little
SCHEME = "affine32"  # datasketch 2's hashing scheme, named so stored band hashes stay comparable
_TOKEN = re.compile(r"\w+")


def shingles(text: str) -> set[str]:
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < SHINGLE:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@lru_cache(maxsize=1)
def _permutations():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


@dataclass(frozen=True)
class Fingerprint:
    text_hash: str
    bands: tuple[tuple[int, int], ...]  # (band number, signed 64-bit hash); empty for short texts
    shingles: frozenset[str]


def fingerprint(text: str) -> Fingerprint:
    from datasketch import MinHash

    sh = shingles(text)
    bands: tuple[tuple[int, int], ...] = ()
    if len(_TOKEN.findall(text)) >= MIN_TOKENS:
        mh = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme=SCHEME)
        mh.update_batch([s.encode("utf-8") for s in sh])
        values = mh.hashvalues
        bands = tuple(
            (b, int.from_bytes(hashlib.sha1(values[b * ROWS:(b + 1) * ROWS].tobytes()).digest()[:8], "big",
                               signed=True))
            for b in range(BANDS))
    return Fingerprint(article_id(text), bands, frozenset(sh))
