"""`seamline eval --retriever bm25`: a real BM25 (bm25s) ranks each document's chunks per question.

A small contract in three chunks about different things; each question names
words of one chunk. The scores are worked out by hand from the character spans.
"""
from __future__ import annotations

import pytest

from conftest import records, run_cli, to_jsonl

pytest.importorskip("bm25s")

PARTS = ["This Agreement shall be governed by the laws of the State of New York. ",
         "Either party may terminate this Agreement upon thirty days written notice. ",
         "Licensor grants Licensee a non-exclusive license to use the Software."]
TEXT = "".join(PARTS)


def chunks() -> bytes:
    out, start = [], 0
    for k, part in enumerate(PARTS):
        out.append({"doc": "c", "seq": k, "kind": "chunk", "start": start, "end": start + len(part), "text": part})
        start += len(part)
    return to_jsonl(out)


def question(words: str, part: int) -> dict:
    start = TEXT.index(PARTS[part].strip())
    return {"doc": "c", "question": words, "references": [[start, start + len(PARTS[part].strip())]]}


def run(tmp_path, *extra, qs=None):
    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(chunks())
    qpath = tmp_path / "q.jsonl"
    qpath.write_bytes(to_jsonl(qs or [question("Which state's laws govern the agreement?", 0),
                                      question("How can a party terminate, and with what notice?", 1)]))
    proc = run_cli("eval", str(pred), "--questions", str(qpath), "--format", "jsonl", *extra)
    return proc


def test_bm25_finds_the_chunk_each_question_names(tmp_path):
    proc = run(tmp_path, "--retriever", "bm25", "--top-k", "1", "--top-k", "2", "--tokenizer", "words")
    assert proc.returncode == 0, proc.stderr.decode()
    s = records(proc.stdout)[-1]
    # top-1: the right chunk; the reference is the chunk without its trailing space
    p0 = (len(PARTS[0]) - 1) / len(PARTS[0])
    p1 = (len(PARTS[1]) - 1) / len(PARTS[1])
    assert s["bm25_recall@1"] == 1.0
    assert s["bm25_precision@1"] == pytest.approx((p0 + p1) / 2)
    assert s["bm25_iou@1"] == pytest.approx((p0 + p1) / 2)
    assert s["bm25_tokens@1"] == pytest.approx((len(PARTS[0].split()) + len(PARTS[1].split())) / 2)
    # top-2 doubles the text retrieved: recall stays, precision falls
    assert s["bm25_recall@2"] == 1.0 and s["bm25_precision@2"] < 0.6
    # the oracle mode is still there, and finds the right chunks by construction
    assert s["retrieval_recall"] == 1.0


def test_bm25_misses_when_the_words_are_elsewhere(tmp_path):
    # the question's words are all in chunk 2 but the reference is chunk 0: recall@1 is 0
    proc = run(tmp_path, "--retriever", "bm25", "--top-k", "1",
               qs=[question("non-exclusive license Software Licensor", 0)])
    assert proc.returncode == 0, proc.stderr.decode()
    s = records(proc.stdout)[-1]
    assert s["bm25_recall@1"] == 0.0 and s["bm25_precision@1"] == 0.0


def test_bm25_needs_question_text_and_questions(tmp_path):
    q = question("x", 0)
    del q["question"]
    proc = run(tmp_path, "--retriever", "bm25", qs=[q])
    assert proc.returncode == 1 and b"'question'" in proc.stderr and b"q.jsonl:1" in proc.stderr
    pred = tmp_path / "pred.jsonl"
    proc = run_cli("eval", str(pred), "--retriever", "bm25")
    assert proc.returncode == 2 and b"--questions" in proc.stderr


def test_bm25_reads_a_chunks_context_with_its_text(tmp_path):
    """Chunks of `chunk --with-headings`: the headings in `context` are what a retriever is given with the text,
    so BM25 ranks on both and `bm25_tokens@K` counts both, as the chunk's `tokens` does."""
    import json

    qs = [question("governing law notice", 2)]  # "notice" is in chunk 1's text; "governing law" only in the heading
    proc = run(tmp_path, "--retriever", "bm25", "--top-k", "1", "--tokenizer", "words", qs=qs)
    plain = records(proc.stdout)[-1]
    assert plain["bm25_recall@1"] == 0.0
    lines = [json.loads(line) for line in chunks().decode().splitlines()]
    for rec in lines:
        rec["context"] = "Section 9. Governing Law" if rec["seq"] == 2 else ""
    pred = tmp_path / "pred.jsonl"
    pred.write_bytes(to_jsonl(lines))
    proc = run_cli("eval", str(pred), "--questions", str(tmp_path / "q.jsonl"), "--format", "jsonl",
                   "--retriever", "bm25", "--top-k", "1", "--tokenizer", "words")
    assert proc.returncode == 0, proc.stderr.decode()
    headed = records(proc.stdout)[-1]
    assert headed["bm25_recall@1"] == 1.0
    assert headed["bm25_tokens@1"] == len(PARTS[2].split()) + 4
