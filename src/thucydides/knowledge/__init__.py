"""Data files we write (lexicons, the actor knowledge base, the PLOVER/CAMEO tables) and their loaders."""
from __future__ import annotations

import csv
import functools
from importlib import resources
from typing import Any

import yaml


def data_path(name: str):
    return resources.files(__name__).joinpath(name)


@functools.cache
def load_yaml(name: str) -> Any:
    """Load a YAML data file shipped in this package (cached: each file is read once per process)."""
    with data_path(name).open("r", encoding="utf-8") as f:
        return yaml.safe_load(f)


@functools.cache
def load_csv(name: str) -> list[dict[str, str]]:
    with data_path(name).open("r", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def has_file(name: str) -> bool:
    return data_path(name).is_file()
