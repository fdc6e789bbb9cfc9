"""Page numbers follow units and chunks: each carries the pages its own text spans."""
from __future__ import annotations

from conftest import assert_tiles, records, run_cli
from test_formats_pdfmaker import make_pdf


def three_page_pdf(tmp_path):
    pages = []
    for n in range(3):
        lines = [(72, 720 - 14 * i, 11, "F1", f"Page {n + 1} sentence number {i} goes on for a while here.")
                 for i in range(12)]
        pages.append(lines)
    path = tmp_path / "three.pdf"
    path.write_bytes(make_pdf(pages))
    return path


def test_units_and_chunks_carry_their_own_page_span(tmp_path):
    pdf = three_page_pdf(tmp_path)
    units = records(run_cli("segment", str(pdf), check=True).stdout)
    assert units[0]["meta"]["pages"], "the first unit carries the page ranges"
    assert all("pages" not in u["meta"] for u in units[1:]), "only the first unit carries document facts"
    pages = units[0]["meta"]["pages"]
    text = "".join(u["text"] for u in units)
    assert_tiles(text, units)

    def expected(start, end):
        touched = [i + 1 for i, (a, b) in enumerate(pages) if start < max(b, a + 1) and end > a]
        return [touched[0], touched[-1]]

    for u in units:
        if u["text"].strip():
            assert u["meta"]["page_span"] == expected(u["start"], u["end"]), u
    for payload_args in (["chunk", "--max-tokens", "120"],):
        chunks = records(run_cli(*payload_args, stdin=run_cli("segment", str(pdf), check=True).stdout,
                                 check=True).stdout)
        assert any(c["meta"]["page_span"][0] < c["meta"]["page_span"][1] for c in chunks), "a chunk spans a page break"
        for c in chunks:
            assert c["meta"]["page_span"] == expected(c["start"], c["end"]), c
        merged = records(run_cli("merge", "--max-tokens", "400", stdin=records_bytes(chunks), check=True).stdout)
        for m in merged:
            assert m["meta"]["page_span"] == expected(m["start"], m["end"]), m


def records_bytes(recs):
    import json
    return b"".join(json.dumps(r).encode() + b"\n" for r in recs)
