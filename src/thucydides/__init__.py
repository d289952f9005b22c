"""Thucydides: who said what, and who did what to whom, in international news.

    >>> from thucydides import analyze
    >>> a = analyze(text, published="2025-02-13")
    >>> for q in a.attributions: ...
"""
from __future__ import annotations

__version__ = "0.1.0"

from .errors import InputError, ModelNotInstalled, ThucydidesError
from .model import Actor, Analysis, Article, Attribution, Event, Span

__all__ = [
    "Actor",
    "Analysis",
    "Article",
    "Attribution",
    "Event",
    "InputError",
    "ModelNotInstalled",
    "Pipeline",
    "Span",
    "ThucydidesError",
    "__version__",
    "analyze",
]


def __getattr__(name: str):
    # The pipeline imports spaCy; keep `import thucydides` light until it is needed.
    if name in ("analyze", "Pipeline"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
