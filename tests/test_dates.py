"""Dates in the text, resolved against the publication date (a Friday: 2025-02-14)."""
from __future__ import annotations

import datetime as dt

import pytest

from thucydides.extract import dates

FRIDAY = dt.date(2025, 2, 14)


@pytest.mark.parametrize("expr, future, want", [
    ("on Wednesday", False, ("2025-02-12", "day")),          # the last Wednesday before publication
    ("Wednesday", True, ("2025-02-19", "day")),              # a plan: the next one
    ("on Friday", True, ("2025-02-14", "day")),              # "slated to meet ... on Friday": that day
    ("last Friday", False, ("2025-02-07", "day")),
    ("next Monday", False, ("2025-02-17", "day")),
    ("yesterday", False, ("2025-02-13", "day")),
    ("today", False, ("2025-02-14", "day")),
    ("nearly three years ago", False, ("2022-01-01", "year")),
    ("two weeks ago", False, ("2025-01-31", "day")),
    ("in 2014", False, ("2014-01-01", "year")),
    ("February 12, 2025", False, ("2025-02-12", "day")),
    ("Dec. 20", False, ("2024-12-20", "day")),               # a past December: last year's
    ("March 2022", False, ("2022-03-01", "month")),
])
def test_resolves_against_publication(expr, future, want):
    assert dates.resolve(expr, FRIDAY, future=future) == want


@pytest.mark.parametrize("expr", ["the beginning", "soon", "since the start of the war", ""])
def test_no_date_in_the_text_gives_none(expr):
    assert dates.resolve(expr, FRIDAY) is None


def test_relative_dates_need_a_publication_date():
    assert dates.resolve("on Wednesday", None) is None
    assert dates.resolve("in 2014", None) == ("2014-01-01", "year")


def test_published_parses_iso_and_rejects_junk():
    assert dates.parse_published("2025-02-14T09:00:00Z") == FRIDAY
    assert dates.parse_published("Feb 14") is None
    assert dates.parse_published(None) is None
