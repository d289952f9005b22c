"""Helpers for the store tests: fictional articles and a comparable dump of a database."""
from __future__ import annotations

import random

from thucydides.store import open_store

# Every table's natural columns: surrogate ids and ingest timestamps differ between runs.
DUMP = {
    "articles": "id, text_hash, url, path, title, published, source, author, text, record",
    "actors": "id, name, kind, country, sector, role, wikidata",
    "mentions": "article_id, actor_id, start_char, end_char, text",
    "attributions": "article_id, n, kind, content, content_start, content_end, cue, source_text, speaker_id, "
                    "speaker_role, medium, confidence, passage",
    "events": "article_id, n, type, mode, cameo, goldstein, quad, trigger, sentence, date, location, negated, "
              "hypothetical, future, reported_by, confidence",
    "event_actors": "article_id, n, role, pos, actor_id",
    "duplicates": "copy, original_id, kind, similarity, copy_id, text_hash, url, path, title, published, source",
    "fingerprints": "band, hash, article_id",
}


def dump(url: str) -> dict[str, list[tuple]]:
    with open_store(url) as store:
        return {t: [tuple(r) for r in store.db.execute(f"SELECT {cols} FROM {t} ORDER BY {cols}")]
                for t, cols in DUMP.items()}


PEOPLE = [("Amara Velk", "Veloria", "foreign minister"), ("Tomas Reyle", "Ostrane", "prime minister"),
          ("Ilse Marrow", "the United Nations", "special envoy"), ("Doran Keshet", "Marenia", "defence minister"),
          ("Sela Ondrik", "Caldoria", "president"), ("Pavo Lintz", "Veloria", "trade minister"),
          ("Nerin Okafe", "Ostrane", "interior minister"), ("Juna Tavrel", "Marenia", "foreign minister")]
PLACES = ["Dorrec", "the Sarn valley", "Port Ilvar", "Kessa", "the northern pass", "Lake Morrow", "Vantre"]
TOPICS = ["grain exports", "the border crossings", "prisoner exchanges", "fishing rights", "a rail link",
          "water from the Sarn river", "customs duties", "the return of displaced families"]
SENTENCES = [
    "{p1}, {c1}'s {r1}, said on {day} that talks on {t1} would resume in {pl1}.",
    "“We will not accept any deal on {t1} that ignores {pl1},” {p1} told reporters.",
    "{c2} accused {c1} of moving {n} armoured vehicles towards {pl2}.",
    "According to {p2}, the {r2} of {c2}, the two sides agreed to a {n}-day pause.",
    "{p2} warned that {c2} would close {pl2} if the agreement on {t2} collapsed.",
    "Officials in {c1} rejected the claim that {n} soldiers had crossed into {pl2}.",
    "“The door to dialogue on {t2} remains open,” {p2} said in a statement.",
    "{c1} and {c2} signed a memorandum on {t1} in {pl1} after {n} hours of talks.",
    "{p1} met {p2} in {pl2} on {day} to discuss {t2}.",
    "The {r1} said {c1} had sent {n} tonnes of aid to {pl1}.",
    "{c2} threatened to impose sanctions on {c1} over {t1}.",
    "Residents of {pl1} said {n} families had left since {day}.",
    "“This is a fabrication,” {p1} said of reports about {t2}.",
    "{p2} called for an independent inquiry into events in {pl2}.",
    "Neither {c1} nor {c2} commented on {t1} on {day}.",
    "A spokesperson for {p1} said the {r1} would travel to {pl2} next week.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def fictional_article(seed: int, sentences: int = 6) -> str:
    """A short news text about invented countries and people, different for each seed."""
    rng = random.Random(seed)
    (p1, c1, r1), (p2, c2, r2) = rng.sample(PEOPLE, 2)
    lines = [f"{c1.removeprefix('the ')} and {c2.removeprefix('the ')}: report {seed}", ""]
    for template in rng.sample(SENTENCES, sentences):
        pl1, pl2 = rng.sample(PLACES, 2)
        t1, t2 = rng.sample(TOPICS, 2)
        lines.append(template.format(p1=p1, c1=c1, r1=r1, p2=p2, c2=c2, r2=r2, pl1=pl1, pl2=pl2, t1=t1, t2=t2,
                                     n=rng.randint(2, 900), day=rng.choice(DAYS)))
    return "\n".join(lines) + "\n"


def wire_copy(text: str) -> str:
    """A syndicated copy: a byline added, a word or two changed, the text otherwise the same."""
    body = text.replace(" said ", " stated ", 1).replace(" on ", " on  ", 1)
    return "By Staff Reporter, Ostrane Wire Service\n" + body + "(Reporting by the Ostrane Wire desk)\n"
