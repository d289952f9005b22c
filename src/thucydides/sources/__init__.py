"""Readers that turn files, pages, feeds, archives and JSON Lines into `Article`s."""
from .files import read_bytes_as_article, read_path, read_stdin  # noqa: F401
