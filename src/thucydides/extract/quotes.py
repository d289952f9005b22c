"""Quotation marks: find every quoted stretch of text, at the character level.

Handles curly and straight double quotes, single quotes used as quotation marks (not as
apostrophes), nesting, quotes that run across sentences, and the news convention of a
paragraph that opens a quote, leaves it unclosed, and continues it in the next paragraph
that opens with a quote mark again.
"""
from __future__ import annotations

from dataclasses import dataclass

OPEN_DOUBLE = "“„«"
CLOSE_DOUBLE = "”»"
OPEN_SINGLE = "‘‹"
CLOSE_SINGLE = "’›"
_WORDY = str.isalnum


@dataclass(frozen=True)
class Quote:
    start: int          # first character inside the marks
    end: int            # end of the content (exclusive), before the closing mark
    outer_start: int    # position of the opening mark
    outer_end: int      # just after the closing mark (or end of the content when unclosed)
    closed: bool = True


def _is_opening_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:;,") and not after.isspace()


def _is_closing_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after.isspace() or not _WORDY(after))


def _is_opening_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "([{—–-/:;,“\"") and _WORDY(after)


def _is_closing_single(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and not _WORDY(after)


def _misturned_opener(text: str, i: int) -> bool:
    """A closing mark that opens a paragraph and a quotation ("”Fear. I am truly afraid ...",
    "” … what I learned"): the wrong mark, typed or converted where the opening one belongs."""
    if text[i] != "”":
        return False
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j >= 0 and text[j] != "\n":
        return False
    after = text[i + 1:i + 4].lstrip(" \u00a0")
    return bool(after) and (after[0].isalnum() or after[0] == "…")


def _unclosed(text: str, open_at: int, i: int, width: int) -> Quote:
    """A quotation opened at `open_at` (by a mark `width` characters long) and never closed
    before the paragraph break at `i`: it ends at the paragraph's last visible character."""
    end = i
    while end > open_at + width and text[end - 1].isspace():
        end -= 1
    return Quote(open_at + width, end, open_at, end, closed=False)


def find_quotes(text: str) -> list[Quote]:
    """Top-level double-quoted stretches, and single-quoted ones outside any double quote."""
    quotes: list[Quote] = []
    n = len(text)
    i = 0
    open_at = -1          # position of the opening double mark of the current quote
    straight = False      # whether the current quote opened with a straight mark
    width = 1             # the opening mark's length: 2 for a doubled apostrophe ('')
    single_open = -1
    inner = 0             # curly quotes opened inside the current one and not yet closed
    while i < n:
        c = text[i]
        if open_at < 0:
            if c == "'" and text.startswith("''", i) and _is_opening_straight(text, i) \
                    and i + 2 < n and not text[i + 2].isspace():
                # two apostrophes for a double quote mark, as some wires and archives write it
                open_at, straight, width = i, True, 2
                single_open = -1
                i += 1
            elif c in OPEN_DOUBLE or (c == '"' and _is_opening_straight(text, i)) or _misturned_opener(text, i):
                open_at, straight, width = i, c == '"', 1
                single_open = -1
            elif c in OPEN_SINGLE and _is_opening_single(text, i) and single_open < 0:
                single_open = i
            elif single_open >= 0 and c in CLOSE_SINGLE + "'" and _is_closing_single(text, i):
                if i - single_open > 1 and len(text[single_open + 1:i].split()) >= 1:
                    quotes.append(Quote(single_open + 1, i, single_open, i + 1))
                single_open = -1
            elif c == "\n":
                single_open = -1
        elif width == 2:
            if text.startswith("''", i) and not text[i - 1].isspace() \
                    and (i + 2 >= n or not _WORDY(text[i + 2])):
                quotes.append(Quote(open_at + 2, i, open_at, i + 2))
                open_at = -1
                i += 1
            elif c == "\n":
                j = i
                while j < n and text[j].isspace():
                    j += 1
                if text.startswith("''", j):
                    i = j + 1  # the next paragraph opens the same quotation again
                else:
                    quotes.append(_unclosed(text, open_at, i, 2))
                    open_at = -1
        else:
            closes = (c in CLOSE_DOUBLE) or (c == '"' and (straight or _is_closing_straight(text, i)))
            if c == '"' and not straight and not _is_closing_straight(text, i):
                closes = False
            if c == "“" and not straight and i > open_at + 1 and not text[i + 1:i + 2].isspace():
                inner += 1   # a curly quote inside a curly quote: “... what he calls “hell” than ...”
            elif closes and inner and c == "”":
                inner -= 1
            elif closes:
                quotes.append(Quote(open_at + 1, i, open_at, i + 1))
                open_at = -1
                inner = 0
            elif c == "\n":
                # An unclosed quote at the end of a paragraph continues when the next paragraph
                # opens with a quote mark; otherwise it ends here.
                j = i
                while j < n and text[j].isspace():
                    j += 1
                if j < n and (text[j] in OPEN_DOUBLE or text[j] == '"'):
                    i = j  # the new opening mark belongs to the same quotation
                else:
                    quotes.append(_unclosed(text, open_at, i, 1))
                    open_at = -1
                inner = 0
        i += 1
    if open_at >= 0:
        end = n
        while end > open_at + width and text[end - 1].isspace():
            end -= 1
        quotes.append(Quote(open_at + width, end, open_at, end, closed=False))
    return [q for q in quotes if text[q.start:q.end].strip()]
