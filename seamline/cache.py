"""Where seamline keeps what it may compute again (parsed BPE ranks, the entry-point scan).

SEAMLINE_CACHE_DIR names the directory ("off", "0", "no" or empty: no cache);
else $XDG_CACHE_HOME/seamline, or ~/.cache/seamline. A module of its own, so
that the registry and the tokenizers can both use it without importing each other.
"""
from __future__ import annotations

import os


def cache_dir() -> str | None:
    chosen = os.environ.get("SEAMLINE_CACHE_DIR")
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else chosen
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "seamline")
