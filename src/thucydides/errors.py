"""Exceptions that say what went wrong and what to do about it."""
from __future__ import annotations


class ThucydidesError(Exception):
    """Base class of every error Thucydides raises on purpose."""


class ModelNotInstalled(ThucydidesError):
    pass


class InputError(ThucydidesError):
    """An input that cannot be analysed; the message names the input and the fix."""

    def __init__(self, name: str, problem: str, fix: str = "") -> None:
        self.name, self.problem, self.fix = name, problem, fix
        msg = f"{name}: {problem}"
        super().__init__(msg + (f" ({fix})" if fix else ""))
