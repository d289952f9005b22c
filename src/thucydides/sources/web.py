"""Fetching a page or feed the user named by URL: the only network access Thucydides makes."""
from __future__ import annotations

import urllib.error
import urllib.request

from .. import __version__
from ..errors import InputError

MAX_BYTES = 20_000_000
TIMEOUT = 30


def fetch(url: str) -> bytes:
    """The body of `url`; an InputError naming the URL when it cannot be had."""
    req = urllib.request.Request(url, headers={"User-Agent": f"thucydides/{__version__} (news analysis)"})
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:
            data = resp.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise InputError(url, f"the server answered {exc.code} {exc.reason}", "check the URL") from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(url, f"could not be fetched ({reason})", "check the URL and your connection") from exc
    if len(data) > MAX_BYTES:
        raise InputError(url, f"is larger than {MAX_BYTES // 1_000_000} MB", "download it and pass the file")
    return data
