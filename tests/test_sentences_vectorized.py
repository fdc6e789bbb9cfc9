"""The vectorized (NumPy) sentence path gives exactly the starts of the plain-Python kernel.

The comparisons with the compiled Numba kernel are in test_sentences_kernel.py
(marked `kernels`); these run without importing Numba.
"""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from conftest import FIXTURES, read_jsonl, shared_path
from hypothesis import given, settings
from hypothesis import strategies as st

from seamline.sbd import vectorized
from seamline.sbd.model import SentenceModel, codes_of

# pieces that exercise every branch: scripts, cases, sentence ends, closers and openers,
# list markers, tokens past MAX_TOKEN, lines past MAX_LINE, whitespace runs and kinds,
# lone surrogates, emoji and other characters above the BMP
PIECES = ["The", "end.", "U.S.C.", "Mr.", "et al.", "§", "12(a)(3)", "v.", "No.", "Straße", "ÉTÉ", "İ", "ǅ",
          "Ελλάδα.", "Россия!", "中文。", "日本語？", "«Bonjour»", "“Quote.”", "'tis", "(see", "id.)", "[1]", "{x}",
          "¿Qué?", "¡Sí!", "…", "?!", "...", ".\")", ".)]", "—", "-", "•", "1.", "(iv)", "😀", "👍🏽.", "𝐀𝐁𝐂.",
          "\U00020000", "\ud800", "\udfff", "a\ud83d", "x" * 40, "Y" * 33 + ".", "w " * 5,
          " ", " ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2028", "\u3000", " " * 40, "\n" * 4,
          "z" * 250 + "\n"]
TEXTS = st.lists(st.one_of(st.sampled_from(PIECES), st.characters(), st.characters(max_codepoint=0x7F)),
                 max_size=120).map("".join)


@pytest.fixture(scope="module")
def model() -> SentenceModel:
    return SentenceModel.load()


def vectorized_starts(model: SentenceModel, text: str) -> list[int]:
    model.compiled = False
    return model.starts(text).tolist()


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_random_text_gives_the_plain_kernel_starts(text):
    model = _model()
    assert vectorized_starts(model, text) == model._starts_plain(text).tolist()


@settings(max_examples=150, deadline=None)
@given(text=TEXTS, block=st.integers(1, 80))
def test_blocks_do_not_change_the_starts(text, block):
    # cutting the text into tiny blocks exercises the block edges that long documents have
    model = _model()
    whole = vectorized_starts(model, text)
    saved = vectorized.BLOCK
    vectorized.BLOCK = block
    try:
        assert vectorized_starts(model, text) == whole
    finally:
        vectorized.BLOCK = saved


def test_long_document_in_blocks_matches_the_plain_kernel(model):
    cases = [json.loads(line) for line in (FIXTURES / "sentences" / "cases.jsonl").read_text().splitlines()]
    text = "\n\n".join(c.get("joiner", " ").join(c["sentences"]) for c in cases)
    text = (text + " " * 300 + "\n") * (1 + 3 * vectorized.BLOCK // len(text))
    assert len(text) > 3 * vectorized.BLOCK
    got = vectorized_starts(model, text)
    assert got == model._starts_plain(text).tolist()
    assert len(got) > 100


def test_blocks_on_two_threads_give_the_starts_of_one_thread(model, monkeypatch):
    tables = vectorized.Tables(model.classes, model.lower, model.weights, model.threshold)
    text = shared_path("corpus").joinpath("gutenberg", "austen_emma.txt").read_text(encoding="utf-8")
    assert len(text) > vectorized.THREADS_FROM_CHARS  # the default path of a book is the threaded one
    threaded = vectorized.find_starts(text, tables).tolist()
    monkeypatch.setattr(vectorized, "THREADS_FROM_CHARS", len(text) + 1)
    assert threaded == vectorized.find_starts(text, tables).tolist()
    assert len(threaded) > 5000


def test_code_point_arrays_give_the_same_starts_as_strings(model):
    tables = vectorized.Tables(model.classes, model.lower, model.weights, model.threshold)
    text = "Dr. Who went home. He slept!\n\n(Then) «Il dort.» 😀 Done.  \ud800 A. B" * 3000
    assert vectorized.find_starts(codes_of(text), tables).tolist() == vectorized.find_starts(text, tables).tolist()


def test_edge_inputs(model):
    for text in ["", "a", "ab", " ", "  ", "a ", " a", ".A", "a.B", "a.)B", "a.))))B", "\ud800\udfff", "😀. 😀",
                 "a" * 100, " " * 100 + "x", "x\n" * 300]:
        assert vectorized_starts(model, text) == model._starts_plain(text).tolist(), repr(text)


def test_weights_decide(model):
    # a model whose bias alone is above the threshold: every candidate is a start
    eager = SentenceModel(model.weights.copy(), model.classes, model.lower, model.threshold)
    eager.weights[:] = 0
    eager.weights[0] = model.threshold + 1
    text = "one two.Three four\n\nfive"
    assert vectorized_starts(eager, text) == [4, 8, 14, 20]
    assert eager._starts_plain(text).tolist() == [4, 8, 14, 20]


def test_weights_that_are_not_float16_add_in_the_kernel_order(model):
    # the shipped weights are float16 values (exact sums in any order); others take the ordered sum
    rng = np.random.default_rng(5)
    odd = SentenceModel(model.weights + rng.normal(0, 1e-3, model.weights.shape).astype(np.float32),
                        model.classes, model.lower, model.threshold)
    odd.compiled = False
    odd.starts("x")
    tables = vectorized.Tables(odd.classes, odd.lower, odd.weights, odd.threshold)
    assert not tables.exact_sums and vectorized.Tables(model.classes, model.lower, model.weights, 0).exact_sums
    cases = [json.loads(line) for line in (FIXTURES / "sentences" / "cases.jsonl").read_text().splitlines()]
    text = "\n\n".join(c.get("joiner", " ").join(c["sentences"]) for c in cases)
    assert vectorized_starts(odd, text) == odd._starts_plain(text).tolist()


# Every DEV file against the plain kernel: tests/test_sentences_kernel.py compares the vectorized
# path with the kernel on each of them, and `make test` runs it again with NUMBA_DISABLE_JIT=1,
# where the kernel is the plain Python.


def test_small_documents_do_not_import_numba():
    code = ("import sys\nfrom seamline.segmenters.learned import LearnedSentences\n"
            "print(len(LearnedSentences().starts('One. Two three. ' * 5000)), 'numba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert int(out[0]) > 1000 and out[1] == "False"


_cached: list[SentenceModel] = []


def _model() -> SentenceModel:
    # hypothesis tests cannot take function-scoped fixtures; load the model once
    if not _cached:
        _cached.append(SentenceModel.load())
    return _cached[0]


def test_mix_is_the_kernels_mix():
    from seamline.kernels.sentences import mix
    rng = np.random.default_rng(3)
    h = rng.integers(0, 2**32, 1000, dtype=np.uint64).astype(np.uint32)
    x = rng.integers(0, 0x110000, 1000).astype(np.uint32)
    expected = [mix(int(a), int(b)) for a, b in zip(h, x)]
    assert [int(v) for v in vectorized.mix(h, x)] == expected
    assert [int(v) for v in vectorized.mix(11, x)] == [mix(11, int(b)) for b in x]


@settings(max_examples=150, deadline=None)
@given(st.lists(TEXTS, max_size=12))
def test_many_short_texts_in_one_pass_equal_each_alone(model, texts):
    model.compiled = False
    model.starts("warm up the tables")
    together = vectorized.find_starts_many(texts, model._vector_tables)
    assert [t.tolist() for t in together] == [model.starts(t).tolist() for t in texts]


def fixture_texts() -> list[str]:
    """Short documents from the suite's own fixtures: every line, paragraph and file of them."""
    docs = [d["text"] for d in read_jsonl(FIXTURES / "stream" / "mini.jsonl")]
    docs += [" ".join(json.loads(line)["sentences"]) for line in (FIXTURES / "sentences" / "cases.jsonl").open()]
    files = sorted((FIXTURES / "legal").glob("*.txt")) + sorted((FIXTURES / "topics").rglob("*.txt"))
    files += [FIXTURES / "sentences" / "hard_wrapped.txt", FIXTURES / "formats" / "guide.md"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        docs += [text, *text.split("\n\n"), *text.splitlines()]
    return docs


def short_texts(source: str) -> list[str]:
    """DEV documents under 8 K characters when ../shared/data is here; the fixtures' always."""
    if source == "fixtures":
        return fixture_texts()
    return [d["text"] for name in ("ud_en_ewt.dev.jsonl", "pysbd_golden_rules.dev.jsonl", "ud_fr_gsd.dev.jsonl",
                                   "legal_sbd_multilegal.dev.jsonl")
            for d in read_jsonl(shared_path("sentences", name)) if len(d["text"]) < 8192]


@pytest.mark.parametrize("source", ["fixtures", "dev"])
def test_many_short_texts_in_one_pass_equal_each_alone_on_real_text(model, source):
    model.compiled = False
    texts = short_texts(source)
    got = [found for k in range(0, len(texts), 64) for found in model.starts_many(texts[k:k + 64])]
    assert len(texts) > (1000 if source == "dev" else 150)   # several batches of 64
    want = [model.starts(t).tolist() for t in texts]
    assert sum(map(len, want)) > len(texts) // 2            # texts with sentences to find
    assert [g.tolist() for g in got] == want


@pytest.mark.parametrize("source", ["fixtures", "dev"])
def test_segment_batches_short_documents_with_the_same_units(source):
    """`segment` on a file segments short documents together; the units are those of one at a time."""
    from seamline.formats import Item
    from seamline.streams import segment_items
    from seamline.segmenters import get_segmenter
    docs = [{"id": f"d{k}", "text": text} for k, text in enumerate(short_texts(source)[:200])]
    docs.append({"id": "long", "text": "A long one. " * 1000})
    items = [Item(d, "<t>", k + 1) for k, d in enumerate(docs)]
    seg = get_segmenter("sentence", "learned")
    assert list(segment_items(iter(items), seg, batch=True)) == list(segment_items(iter(items), seg))


def test_the_model_read_through_the_cache_is_the_same(tmp_path, monkeypatch):
    """The uncompressed copy of the model file gives the same model; a damaged copy reads the file again."""
    from seamline.sbd.model import _read_arrays
    source = tmp_path / "model.npz"
    shipped = SentenceModel.load()
    shipped.save(source)
    monkeypatch.setenv("SEAMLINE_CACHE_DIR", str(tmp_path / "cache"))
    first, second = SentenceModel.load(source), SentenceModel.load(source)   # written, then read back
    copies = list((tmp_path / "cache").glob("sentences-*.npz"))
    assert len(copies) == 1
    for m in (first, second):
        assert np.array_equal(m.weights, shipped.weights) and np.array_equal(m.classes, shipped.classes)
        assert np.array_equal(m.lower, shipped.lower) and m.threshold == shipped.threshold and m.info == shipped.info
        assert m._float16 and m.vector_tables().exact_sums
    copies[0].write_bytes(b"not a model")
    again = _read_arrays(source)
    assert np.array_equal(again["weights"], np.load(source)["weights"])
