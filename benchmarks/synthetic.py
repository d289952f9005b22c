"""Synthetic news articles for the scale benchmarks: fictional people, places and numbers.

Every article names new fictional people and organisations, with new figures and dates, so
a run over many of them keeps meeting strings the model has never seen: the vocabulary
would grow without `nlp.memory_zone()`, and no two articles are near-duplicates (each
sentence carries several fresh names or numbers). All names are made up from syllables;
no real person is quoted.
"""
from __future__ import annotations

import random
from collections.abc import Iterator

SYLLABLES = ("ka", "lo", "ven", "mar", "tri", "sel", "dor", "avi", "ne", "qua", "ril", "bo", "zan", "eth", "ul",
             "pra", "mi", "gor", "ta", "lis", "ron", "ves", "yu", "ond", "cha", "fe", "hal", "ix", "sto", "wen")
ROLES = ("foreign minister", "defence minister", "prime minister", "president", "trade envoy", "army chief",
         "spokesperson for the interior ministry", "opposition leader", "central bank governor", "ambassador")
VERBS_SAY = ("said", "told reporters", "added", "warned", "wrote in a statement", "said in an interview")
ACTS = ("signed a trade agreement with", "accused", "met", "threatened to impose sanctions on",
        "sent humanitarian aid to", "rejected a proposal from", "condemned", "praised", "agreed to talks with",
        "expelled diplomats from")
THINGS = ("the border crossings", "grain exports", "the pipeline", "the ceasefire line", "fishing rights",
          "the port of {place}", "the {n} prisoners", "tariffs on steel", "the bridge at {place}")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _word(rng: random.Random, k: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(k)).capitalize()


def _person(rng: random.Random) -> str:
    return f"{_word(rng, 2)} {_word(rng, rng.randint(2, 3))}"


def _country(rng: random.Random) -> str:
    return _word(rng, 2) + rng.choice(("ia", "land", "stan", "ora", "ivia"))


def article(rng: random.Random, i: int) -> dict[str, str]:
    """One article as a JSON Lines item: text, title, published date, a URL."""
    a, b = _country(rng), _country(rng)
    p1, p2, p3 = _person(rng), _person(rng), _person(rng)
    r1, r2 = rng.choice(ROLES), rng.choice(ROLES)
    city = _word(rng, 3)
    n = rng.randint(2, 9999)
    month = rng.choice(MONTHS)
    day = rng.randint(1, 28)
    thing = rng.choice(THINGS).format(place=_word(rng, 2), n=n)
    sentences = [
        (f"{city.upper()}, {month} {day} — {p1}, {a}'s {r1}, {rng.choice(VERBS_SAY)} on {rng.choice(DAYS)} that "
         f"{a} {rng.choice(ACTS)} {b} after {n} days of talks over {thing}."),
        f"“We will not accept {rng.randint(10, 990)} more days of delay on {thing},” {p1} said in {city}.",
        (f"{p2}, the {r2} of {b}, {rng.choice(ACTS)} {p3} and called the figure of {rng.randint(100, 99999):,} "
         f"{rng.choice(('troops', 'tonnes', 'refugees', 'barrels', 'euros'))} “{rng.choice(('absurd', 'fair', 'a start'))}.”"),
        (f"According to the {_word(rng, 2)} Institute, {rng.randint(3, 97)} percent of voters in {a} back the plan, "
         f"and {_word(rng, 2)} {_word(rng, 2)} of the {_word(rng, 3)} Party said the vote on {month} "
         f"{rng.randint(1, 28)} would decide it."),
        (f"{p3} {rng.choice(VERBS_SAY)} that {b} would {rng.choice(('respond', 'not retreat', 'seek talks'))} "
         f"before {rng.choice(DAYS)}, when delegations from {rng.randint(2, 40)} states meet in {_word(rng, 3)}."),
    ]
    rest = sentences[1:]
    rng.shuffle(rest)
    sentences = sentences[:1] + rest
    return {"text": "\n\n".join(sentences) + "\n", "title": f"{a} and {b}: talks over {thing}",
            "published": f"2025-{MONTHS.index(month) + 1:02d}-{day:02d}", "url": f"https://news.invalid/{i}/{n}"}


def articles(n: int, seed: int = 1) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    for i in range(n):
        yield article(rng, i)


if __name__ == "__main__":
    import json
    import sys

    for item in articles(int(sys.argv[1]) if len(sys.argv) > 1 else 3):
        print(json.dumps(item, ensure_ascii=False))
