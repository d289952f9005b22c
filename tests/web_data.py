"""Analyses written by hand for the web tests: fictional countries and people, known answers.

They do not go through the NLP pipeline, so the API tests check the server, not the
extractors (which change on their own schedule). Every span is cut from the text by
`span()`, so the offsets hold by construction. One article carries markup in its title
and text, to show that the page prints it as text.
"""
from __future__ import annotations

from thucydides.model import Actor, Analysis, Article, Attribution, Event, Span

VELK = Actor("new:person:amara-velk", "Amara Velk", "person", "VLR", "GOV", "foreign minister")
REYLE = Actor("new:person:tomas-reyle", "Tomas Reyle", "person", "OST", "GOV", "prime minister")
MARROW = Actor("new:person:ilse-marrow", "Ilse Marrow", "person", "IGO", "IGO", "special envoy")
VELORIA = Actor("new:state:veloria", "Veloria", "state", "VLR")
OSTRANE = Actor("new:state:ostrane", "Ostrane", "state", "OST")

MARKUP = '<script>alert("pwned")</script>'


def span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), needle)


def _actor(base: Actor, text: str, *names: str) -> Actor:
    mentions = []
    for name in names:
        start = text.find(name)
        while start >= 0:
            mentions.append(Span(start, start + len(name), name))
            start = text.find(name, start + len(name))
    return Actor(base.id, base.name, base.kind, base.country, base.sector, base.role, mentions=sorted(
        mentions, key=lambda s: s.start))


def _event(text: str, sentence: str, trigger: str, type_: str, cameo: str, goldstein: float, quad: str,
           source: Actor, target: Actor, date: str | None = None, confidence: float = 0.8, **flags) -> Event:
    s = span(text, sentence)
    return Event(type=type_, sentence=s, trigger=span(text, trigger), cameo=cameo, goldstein=goldstein, quad=quad,
                 source=[source.id], target=[target.id], date=date, confidence=confidence, **flags)


def articles() -> list[tuple[Analysis, Article]]:
    out = []

    # 1. February: a ceasefire agreed, a promise quoted, a threat
    text = ("Veloria and Ostrane agree a ceasefire in the Sarn valley\n\n"
            "Amara Velk, Veloria's foreign minister, said the ceasefire would hold.\n"
            "“We have kept every promise we made in this room,” Velk told reporters.\n"
            "Ostrane accused Veloria of moving armoured vehicles towards Dorrec.\n"
            "Veloria agreed with Ostrane to reopen the border crossings.\n")
    a = Analysis(id="web-feb", text=text, title="Veloria and Ostrane agree a ceasefire in the Sarn valley",
                 published="2025-02-14", source="Ostrane Wire", path="https://news.example/web-feb")
    a.actors = [_actor(VELK, text, "Amara Velk", "Velk"), _actor(VELORIA, text, "Veloria"),
                _actor(OSTRANE, text, "Ostrane")]
    a.attributions = [
        Attribution("indirect", span(text, "the ceasefire would hold"), span(text, "said"), span(text, "Amara Velk"),
                    VELK.id, None, 0.9),
        Attribution("direct", span(text, "We have kept every promise we made in this room"), span(text, "told"),
                    span(text, "Velk", 1), VELK.id, "press conference", 0.95),
    ]
    a.events = [
        _event(text, "Ostrane accused Veloria of moving armoured vehicles towards Dorrec.", "accused", "ACCUSE",
               "112", -2.0, "verbal-conflict", OSTRANE, VELORIA, "2025-02-13"),
        _event(text, "Veloria agreed with Ostrane to reopen the border crossings.", "agreed", "AGREE", "030", 4.0,
               "verbal-cooperation", VELORIA, OSTRANE, "2025-02-14"),
    ]
    out.append((a, Article(text=text, id=a.id, title=a.title, published=a.published, source=a.source,
                           url=a.path)))

    # 2. March: Reyle rejects, threatens (hypothetical), and denies (negated)
    text = ("Reyle rejects claims on Dorrec\n\n"
            "Tomas Reyle, Ostrane's prime minister, said the claim about Dorrec was a fabrication.\n"
            "“The door to dialogue on grain exports remains open,” Reyle said in a statement.\n"
            "Ostrane rejected Veloria's demand for an inquiry.\n"
            "Reyle said Ostrane would impose sanctions on Veloria if the ceasefire collapsed.\n"
            "Ostrane did not attack Veloria, officials said.\n")
    a = Analysis(id="web-mar", text=text, title="Reyle rejects claims on Dorrec", published="2025-03-03",
                 source="Veloria Herald", path="reyle.txt")
    a.actors = [_actor(REYLE, text, "Tomas Reyle", "Reyle"), _actor(OSTRANE, text, "Ostrane"),
                _actor(VELORIA, text, "Veloria")]
    a.attributions = [
        Attribution("indirect", span(text, "the claim about Dorrec was a fabrication"), span(text, "said"),
                    span(text, "Tomas Reyle"), REYLE.id, None, 0.88),
        Attribution("direct", span(text, "The door to dialogue on grain exports remains open"),
                    span(text, "said", 1), span(text, "Reyle", 1), REYLE.id, "statement", 0.93),
        Attribution("indirect", span(text, "Ostrane would impose sanctions on Veloria if the ceasefire collapsed"),
                    span(text, "said", 2), span(text, "Reyle", 2), REYLE.id, None, 0.8),
    ]
    a.events = [
        _event(text, "Ostrane rejected Veloria's demand for an inquiry.", "rejected", "REJECT", "120", -4.0,
               "verbal-conflict", OSTRANE, VELORIA, "2025-03-03"),
        _event(text, "Reyle said Ostrane would impose sanctions on Veloria if the ceasefire collapsed.", "impose",
               "SANCTION", "163", -8.0, "material-conflict", OSTRANE, VELORIA, hypothetical=True, confidence=0.45),
        _event(text, "Ostrane did not attack Veloria, officials said.", "attack", "ASSAULT", "190", -10.0,
               "material-conflict", OSTRANE, VELORIA, negated=True),
    ]
    out.append((a, Article(text=text, id=a.id, title=a.title, published=a.published, source=a.source,
                           path=a.path)))

    # 3. April: an article whose title and text carry markup, which the page must print as text
    text = (f"<b>Marrow</b> on the truce {MARKUP}\n\n"
            f"Ilse Marrow said “the truce is <b>holding</b> {MARKUP}” after meeting both sides.\n"
            "Marrow met Velk in Geneva to discuss the ceasefire.\n")
    a = Analysis(id="web-apr", text=text, title="<b>Marrow</b> on the truce <i>ok</i>", published="2025-04-02",
                 source="<em>Geneva Desk</em>", path="javascript:alert(1)")
    a.actors = [_actor(MARROW, text, "Ilse Marrow", "Marrow"), _actor(VELK, text, "Velk")]
    a.attributions = [
        Attribution("direct", span(text, f"the truce is <b>holding</b> {MARKUP}"), span(text, "said"),
                    span(text, "Ilse Marrow"), MARROW.id, None, 0.9),
    ]
    a.events = [
        _event(text, "Marrow met Velk in Geneva to discuss the ceasefire.", "met", "CONSULT", "040", 1.0,
               "verbal-cooperation", MARROW, VELK, "2025-04-01"),
    ]
    out.append((a, Article(text=text, id=a.id, title=a.title, published=a.published, source=a.source,
                           path=a.path)))
    return out


def fill(url: str) -> list[Analysis]:
    """Store the hand-written articles at `url`; return their analyses."""
    from thucydides.store import open_store

    done = []
    with open_store(url) as store:
        for analysis, article in articles():
            store.add(analysis, article)
            done.append(analysis)
    return done
