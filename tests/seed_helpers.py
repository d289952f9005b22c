"""Matching the analysis against the seed's hand annotation, as the evaluation does."""
from __future__ import annotations

import re

EDGE = " \t\r\n\"'“”‘’.,;:!?()[]—–-"


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in EDGE:
        start += 1
    while end > start and text[end - 1] in EDGE:
        end -= 1
    return start, end


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= 0.5 * (a[1] - a[0]) and inter >= 0.5 * (b[1] - b[0])


def norm(name: str | None) -> str:
    return re.sub(r"[^a-z0-9 ]", "", (name or "").lower().replace("-", " ")).strip()


def same_actor(gold: str, actor) -> bool:
    if actor is None:
        return False
    g, a = norm(gold), norm(actor.name)
    return g == a or (g.split()[-1] == a.split()[-1] and (g in a or a in g or len(a.split()) == 1))


def find_attribution(analysis, gold_quote):
    text = analysis.text
    g = trim(text, gold_quote["content"]["start"], gold_quote["content"]["end"])
    for att in analysis.attributions:
        if overlaps(g, trim(text, att.content.start, att.content.end)):
            return att
    return None
