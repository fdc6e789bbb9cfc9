"""Documents chunked through DocumentGroup (units made only when looked at) give the same
records as documents segmented into unit records first, for every strategy that uses it."""
from __future__ import annotations

import random
import zlib

import pytest

from seamline.chunkers.documents import DocumentGroup, _tile_starts, document_groups
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.run import chunk_groups
from seamline.formats import Item
from seamline.streams import unit_groups
from seamline.segmenters import get_segmenter, tile
from seamline.tokenizers import get_tokenizer

WORDS = ["alpha", "Beta", "e.g.", "Mr.", "end.", "Why?", "yes!", "x", "1.5", "déjà", "東京。", "\u00a0", "—"]


def random_text(rng: random.Random, n: int) -> str:
    parts = []
    for _ in range(n):
        parts.append(rng.choice(WORDS))
        parts.append(rng.choice([" ", " ", " ", "  ", "\n", "\n\n", "\n \n\t", ""]))
    return "".join(parts)


def documents(rng: random.Random) -> list[Item]:
    docs = [{"id": "empty", "text": ""}, {"id": "spaces", "text": "  \n\n  "},
            {"id": "m", "text": random_text(rng, 400), "meta": {"src": "a"}, "lang": "en"}]
    docs += [{"id": f"d{k}", "text": random_text(rng, rng.randint(1, 900))} for k in range(6)]
    return [Item(d, "<test>", k + 1) for k, d in enumerate(docs)]


@pytest.mark.parametrize("strategy,level,engine", [("pack", "sentence", "rules"), ("recursive", "paragraph", "blankline"),
                                                   ("fixed", "paragraph", "blankline"), ("pack", "line", "newline"),
                                                   ("fill", "sentence", "rules")])
@pytest.mark.parametrize("meta", ["all", "first", "none"])
def test_document_groups_match_unit_records(strategy, level, engine, meta):
    # crc32, not hash(): str hashes change with PYTHONHASHSEED, so a failure would not reproduce
    rng = random.Random(zlib.crc32(f"{strategy}/{level}/{meta}".encode()))
    items = documents(rng)
    tok = get_tokenizer("cl100k_base")
    for budget, overlap in ((40, 0), (64, 16), (7, 0)):
        options = ChunkOptions(max_tokens=budget, overlap=overlap)
        make = lambda: get_segmenter(level, engine)  # noqa: E731
        lazy = list(chunk_groups(document_groups(iter(items), make, meta), tok, options, strategy))
        eager = list(chunk_groups(unit_groups(iter(items), make, meta), tok, options, strategy))
        assert lazy == eager


def test_units_stream_and_documents_mixed():
    rng = random.Random(5)
    text = random_text(rng, 300)
    seg = get_segmenter("sentence", "rules")
    units = [Item({"doc": "u", "seq": k, "kind": "sentence", "start": s, "end": e, "text": text[s:e]}, "<t>", k + 1)
             for k, (s, e) in enumerate(tile(text, seg.starts(text)))]
    items = [Item({"id": "a", "text": text}, "<t>", 0), *units, Item({"id": "b", "text": text[:50]}, "<t>", 99)]
    tok = get_tokenizer("cl100k_base")
    options = ChunkOptions(max_tokens=30)
    lazy = list(chunk_groups(document_groups(iter(items), lambda: seg), tok, options))
    eager = list(chunk_groups(unit_groups(iter(items), lambda: seg), tok, options))
    assert lazy == eager and len(lazy) == 3


def test_lazy_units_equal_segmented_units():
    rng = random.Random(11)
    seg = get_segmenter("sentence", "rules")
    from seamline.streams import segment_document
    from seamline.records import Document
    for k in range(20):
        doc = Document(f"d{k}", random_text(rng, rng.randint(0, 200)), {"m": k})
        group = DocumentGroup(doc, seg, "first")
        assert list(group.units) == segment_document(doc, seg, "first")
        assert group.units[-1] == segment_document(doc, seg, "first")[-1]
        starts = [s for s, _ in tile(doc.text, seg.starts(doc.text))]
        assert _tile_starts(doc.text, seg.starts(doc.text)).tolist() == starts


def test_headings_fall_back_to_unit_records():
    text = "# Title\n\nSome text. More text.\n"
    item = Item({"id": "h", "text": text, "meta": {"headings": [{"start": 0, "end": 8, "level": 1, "title": "Title"}]}},
                "<t>", 1)
    groups = list(document_groups(iter([item]), lambda: get_segmenter("sentence", "rules")))
    assert not isinstance(groups[0], DocumentGroup)
    assert groups[0].units[1]["path"] == ["Title"]


def test_tile_starts_on_random_starts():
    rng = random.Random(3)
    for _ in range(300):
        text = random_text(rng, rng.randint(0, 30))
        starts = [rng.randint(-2, len(text) + 2) for _ in range(rng.randint(0, 12))]
        assert _tile_starts(text, starts).tolist() == [s for s, _ in tile(text, starts)]


def test_paragraph_packer_matches_whole_document_segmentation():
    """pack over rules sentences found paragraph by paragraph == pack over the whole document's sentences."""
    import seamline.chunkers.pack as chunking
    used = []
    real = chunking.WindowPacker.chunks
    extra = ["\n\n", "\n\u00a0\n", "\r\n\r\n", ". \n\n", "...", "\u3002", ")", "Dr. Who", "e.g. the", "  \n  \n", "x" * 90]
    tok = get_tokenizer("cl100k_base")
    seg = get_segmenter("sentence", "rules")
    try:
        chunking.WindowPacker.chunks = lambda self: used.append(1) or real(self)
        for seed in range(40):
            rng = random.Random(seed)
            items = []
            for k in range(3):
                parts = []
                for _ in range(rng.randint(0, 250)):
                    parts += [rng.choice(WORDS + extra), rng.choice([" ", "\n", "\n\n", "", "  ", "\t"])]
                items.append(Item({"id": f"d{k}", "text": "".join(parts), "meta": {"a": k}}, "<t>", k + 1))
            budget = rng.randint(3, 120)
            options = ChunkOptions(max_tokens=budget, overlap=rng.randint(0, budget - 1) if seed % 2 else 0)
            meta = ("all", "first", "none")[seed % 3]
            lazy = list(chunk_groups(document_groups(iter(items), lambda: seg, meta), tok, options, "pack"))
            eager = list(chunk_groups(unit_groups(iter(items), lambda: seg, meta), tok, options, "pack"))
            assert lazy == eager, (seed, budget)
    finally:
        chunking.WindowPacker.chunks = real
    assert len(used) == 40 * 3


def test_document_path_equals_units_path_on_shared_corpus():
    from conftest import shared_path
    corpus = shared_path("corpus")
    files = sorted(p for p in corpus.rglob("*") if p.suffix in (".txt", ".md"))[:3]
    items = [Item({"id": p.name, "text": p.read_text(encoding="utf-8")[:400_000]}, str(p), 1) for p in files]
    tok = get_tokenizer("cl100k_base")
    for strategy, level, engine in (("pack", "sentence", "rules"), ("recursive", "paragraph", "blankline")):
        seg = get_segmenter(level, engine)
        options = ChunkOptions(max_tokens=512)
        lazy = list(chunk_groups(document_groups(iter(items), lambda: seg), tok, options, strategy))
        eager = list(chunk_groups(unit_groups(iter(items), lambda: seg), tok, options, strategy))
        assert lazy == eager and sum(map(len, lazy)) > 100


@pytest.mark.parametrize("text", [
    "x" * 20_000,                                        # no space, no sentence end: one unit cut by tokens
    "." * 3_000 + " Word. " * 500,                       # a long run with no letter to begin a scan after
    "\n\n".join(["Mr. Smith went on and on, " * 60 + "end."] * 8),  # sentences far over the budget
    "A. B. C. " * 2_000 + "\u3002" * 50 + "\n \n" * 300,  # initials, CJK stops, blank lines with spaces
    "".join("的一是不了人我在有他这为之大来以个中上们到说国和"[k % 23] + ("\u3002" if k % 41 == 0 else "")
            for k in range(6_000)),                      # CJK: no anchors, so no estimates (settle_end gallops)
    "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=" * 150 + " tail. End.",  # a base64 blob, then words
])
def test_window_packer_matches_whole_document_on_hard_texts(text):
    tok = get_tokenizer("cl100k_base")
    seg = get_segmenter("sentence", "rules")
    items = [Item({"id": "h", "text": text}, "<t>", 1)]
    for budget in (5, 64, 512):
        options = ChunkOptions(max_tokens=budget)
        lazy = list(chunk_groups(document_groups(iter(items), lambda: seg), tok, options, "pack"))
        eager = list(chunk_groups(unit_groups(iter(items), lambda: seg), tok, options, "pack"))
        assert lazy == eager
        assert "".join(c["text"] for c in lazy[0]) == text
