"""The entry-point scan kept between processes: the same entries as a fresh scan, and a new scan when sys.path changes."""
from __future__ import annotations

import os
import sys
import time

from seamline import registry


def _fresh(monkeypatch, cache):
    monkeypatch.setenv("SEAMLINE_CACHE_DIR", str(cache))
    monkeypatch.setattr(registry, "_PLUGINS", None)


def test_cached_scan_equals_a_fresh_scan(tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path / "cache")
    first = registry.plugins()
    assert first == registry._scan()
    files = list((tmp_path / "cache").glob("entry-points-*.json"))
    assert len(files) == 1
    scans = []
    monkeypatch.setattr(registry, "_PLUGINS", None)
    monkeypatch.setattr(registry, "_scan", lambda: scans.append(1) or {})
    assert registry.plugins() == first  # read back, not scanned
    assert scans == []


def test_a_changed_directory_on_sys_path_scans_again(tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path / "cache")
    extra = tmp_path / "site"
    extra.mkdir()
    monkeypatch.setattr(sys, "path", [*sys.path, str(extra)])
    registry.plugins()
    before = registry._scan_key()
    (extra / "new.dist-info").mkdir()   # what installing a distribution does to its directory
    later = time.time() + 5
    os.utime(extra, (later, later))
    assert registry._scan_key() != before
    monkeypatch.setattr(registry, "_PLUGINS", None)
    scans = []
    real = registry._scan
    monkeypatch.setattr(registry, "_scan", lambda: scans.append(1) or real())
    registry.plugins()
    assert scans == [1]


def test_a_damaged_cache_file_is_scanned_again(tmp_path, monkeypatch):
    _fresh(monkeypatch, tmp_path / "cache")
    registry.plugins()
    path = registry._scan_file(registry._scan_key())
    with open(path, "w") as handle:
        handle.write("{not json")
    monkeypatch.setattr(registry, "_PLUGINS", None)
    assert registry.plugins() == registry._scan()


def test_cache_off(tmp_path, monkeypatch):
    monkeypatch.setenv("SEAMLINE_CACHE_DIR", "off")
    monkeypatch.setattr(registry, "_PLUGINS", None)
    assert registry.plugins() == registry._scan()
    assert registry._scan_file(registry._scan_key()) is None
