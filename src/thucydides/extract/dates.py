"""Dates in the text, resolved against the article's publication date.

"on Wednesday" is the last Wednesday before publication for a past event and the next one
for a future event; "nearly three years ago" counts back from publication; "in 2014" is a
year. Returns an ISO date and its precision (day, month or year), or None when the text
gives no date or there is no publication date to count from.
"""
from __future__ import annotations

import datetime as dt
import re

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
               "oct": 10, "nov": 11, "dec": 12})
NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
           "ten": 10, "a": 1, "an": 1, "several": None, "few": None}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))


def parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def resolve(expr: str, published: dt.date | None, future: bool = False) -> tuple[str, str] | None:
    """(ISO date, precision) for a date expression, or None."""
    low = expr.lower().strip()
    low = re.sub(r"^(on|in|at|since|by|from|until|last|this|next)\s+", lambda m: "" if m.group(1) in (
        "on", "in", "at", "since", "by", "from", "until") else m.group(0), low)
    # explicit dates: "February 12, 2025", "Feb. 12", "12 February 2025"
    m = re.search(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", low) or \
        re.search(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b", low)
    if m:
        g = m.groups()
        if g[0].isdigit():
            day, month, year = int(g[0]), MONTHS[g[1]], g[2]
        else:
            month, day, year = MONTHS[g[0]], int(g[1]), g[2]
        if year:
            y = int(year)
        elif published:
            y = published.year
            try:
                cand = dt.date(y, month, day)
            except ValueError:
                return None
            if not future and cand > published + dt.timedelta(days=7):
                y -= 1
            elif future and cand < published - dt.timedelta(days=7):
                y += 1
        else:
            return None
        try:
            return dt.date(y, month, day).isoformat(), "day"
        except ValueError:
            return None
    m = re.search(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})\b", low)
    if m:
        return dt.date(int(m.group(2)), MONTHS[m.group(1)], 1).isoformat(), "month"
    m = re.fullmatch(r"(?:the\s+)?(?:year\s+)?((?:19|20)\d\d)", low)
    if m:
        return dt.date(int(m.group(1)), 1, 1).isoformat(), "year"
    if published is None:
        return None
    if low in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return published.isoformat(), "day"
    if low in ("yesterday", "last night"):
        return (published - dt.timedelta(days=1)).isoformat(), "day"
    if low == "tomorrow":
        return (published + dt.timedelta(days=1)).isoformat(), "day"
    m = re.fullmatch(r"(last|this|next)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                     r"(?:\s+(?:morning|afternoon|evening|night))?", low)
    if m:
        which, day = m.group(1), WEEKDAYS.index(m.group(2))
        delta = (day - published.weekday()) % 7
        if which == "next" or (future and which != "last"):
            if which == "next":
                delta = delta or 7
            return (published + dt.timedelta(days=delta)).isoformat(), "day"
        back = (published.weekday() - day) % 7 or 7
        if which is None and delta == 0:
            back = 0
        return (published - dt.timedelta(days=back)).isoformat(), "day"
    m = re.search(r"(\w+)\s+(day|week|month|year)s?\s+ago", low)
    if m:
        n = NUMBERS.get(m.group(1), None) if not m.group(1).isdigit() else int(m.group(1))
        if n:
            unit = m.group(2)
            if unit == "day":
                return (published - dt.timedelta(days=n)).isoformat(), "day"
            if unit == "week":
                return (published - dt.timedelta(weeks=n)).isoformat(), "day"
            if unit == "month":
                y, mo = divmod(published.month - 1 - n, 12)
                return dt.date(published.year + y, mo + 1, 1).isoformat(), "month"
            return dt.date(published.year - n, 1, 1).isoformat(), "year"
    return None
