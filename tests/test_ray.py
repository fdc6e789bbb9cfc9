"""The same pipeline on Ray Data: a real local Ray (2 CPUs, loopback only), no mocks.

Every run is compared byte for byte with the single-process run of the same
stages on the same inputs.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SHARED_DATA, records

ray = pytest.importorskip("ray", reason="the Ray tests need the extra: pip install 'seamline[ray]'")

from seamline.api import Pipeline  # noqa: E402
from seamline.errors import InputError  # noqa: E402
from seamline.executors import ray_data  # noqa: E402
from seamline.formats.writers import encode_jsonl  # noqa: E402

# One local Ray at a time: every test that starts one runs on the same test worker (pytest -n, --dist loadgroup).
pytestmark = pytest.mark.xdist_group("ray")

EXAMPLES = [str(ROOT / "examples" / name) for name in ("harbour.txt", "policy.md", "notes.jsonl")]
SENTENCE_CHUNKS = "segment --by sentence | chunk --max-tokens 128"


@pytest.fixture(scope="module")
def cluster():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, _node_ip_address="127.0.0.1")
    ray_data.start()
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


def local(stages, paths, input_format=None) -> bytes:
    return b"".join(encode_jsonl(rec) for recs in Pipeline(stages).files(paths, input_format) for rec in recs)


def on_ray(stages, paths, **options) -> bytes:
    return b"".join(o.data for o in ray_data.run_files(stages, paths, **options))


def shared_inputs(*parts: str) -> list[str]:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data sits beside the repository in CI)")
    return [str(p) for p in sorted(path.glob("*.jsonl"))] if path.is_dir() else [str(path)]


def test_examples_equal_the_single_process_run(cluster):
    expected = local(SENTENCE_CHUNKS, EXAMPLES)
    assert expected.count(b"\n") > 5
    assert on_ray(SENTENCE_CHUNKS, EXAMPLES, block_bytes=64) == expected


# Every shared corpus, each through a chain that fits it; small blocks so that
# files are shared out between the two workers in many tasks.
CORPORA = [
    (("sentences",), SENTENCE_CHUNKS),
    (("topics",), "segment --by sentence | score --method tiling | chunk --strategy score --max-tokens 256"),
    (("legal",), "segment --by legal | chunk --strategy legal --max-tokens 512"),
    (("retrieval", "cuad_qa.dev.docs.jsonl"), "chunk --strategy recursive --max-tokens 256 | merge --max-tokens 512"),
    (("corpus", "legal"), SENTENCE_CHUNKS),
]


@pytest.mark.parametrize("parts, stages", CORPORA, ids=[p[0] for p, _ in CORPORA])
def test_shared_corpora_equal_the_single_process_run(cluster, parts, stages):
    paths = shared_inputs(*parts) if parts[0] != "corpus" else _markdown(parts)
    expected = local(stages, paths)
    got = on_ray(stages, paths, block_bytes=256 << 10)
    assert got == expected


def _markdown(parts) -> list[str]:
    folder = SHARED_DATA.joinpath(*parts)
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    return [str(p) for p in sorted(folder.glob("*.md"))]


def test_shared_pdfs_are_parsed_on_the_workers_and_equal(cluster):
    folder = SHARED_DATA / "pdf"
    if not folder.is_dir():
        pytest.skip(f"{folder} is not here")
    paths = [str(p) for p in sorted(folder.glob("*.pdf"))]
    tasks = list(ray_data.plan(paths))
    assert [t.path for t in tasks] == paths  # the driver plans one task a PDF; it never opens one
    stages = "segment --by paragraph | chunk --max-tokens 256"
    assert on_ray(stages, paths) == local(stages, paths)


def test_a_killed_worker_costs_a_retry_not_a_document(cluster, tmp_path):
    marker = tmp_path / "crashed"
    docs = tmp_path / "docs.jsonl"
    texts = [f"Document {i} says hello! It ends here." for i in range(12)]
    texts[7] += f" CRASH-ONCE:{marker}"
    docs.write_text("".join(f'{{"id": "d{i}", "text": "{t}"}}\n' for i, t in enumerate(texts)))
    stages = "segment --engine crashonce | chunk --max-tokens 16"
    got = on_ray(stages, [str(docs)], block_bytes=200)
    assert marker.exists(), "the worker did not die: the test proves nothing"
    assert int(marker.read_text()) != os.getpid()
    assert got == local(stages, [str(docs)])  # the marker exists now: the local run does not crash
    ids = [r["doc"] for r in records(got)]
    assert sorted(set(ids)) == sorted(f"d{i}" for i in range(12))
    assert [i for i in ids if i == "d7"] and ids == sorted(ids, key=lambda d: int(d[1:]))


def write_with_bad_line(path: Path) -> None:
    good = "".join(f'{{"id": "d{i}", "text": "Sentence {i}. Another one."}}\n' for i in range(5))
    path.write_text(good + '{"id": "d5", "text": \n' + '{"id": "d6", "text": "After."}\n')


def test_a_bad_record_gives_the_local_error_after_every_good_record(cluster, tmp_path):
    bad = tmp_path / "bad.jsonl"
    write_with_bad_line(bad)
    with pytest.raises(InputError) as local_err:
        local(SENTENCE_CHUNKS, [str(bad)])
    written = []
    with pytest.raises(InputError) as ray_err:
        for outcome in ray_data.run_files(SENTENCE_CHUNKS, [str(bad)], block_bytes=40):
            written.append(outcome.data)
    assert str(ray_err.value) == str(local_err.value)
    assert f"{bad}:6:" in str(ray_err.value)
    docs = [r["doc"] for r in records(b"".join(written))]
    assert sorted(set(docs)) == [f"d{i}" for i in range(5)]


def cli(*args, stdin=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seamline", *args], capture_output=True, cwd=ROOT,
                          timeout=600, input=stdin)


def test_cli_joins_a_cluster_and_matches_the_local_pipe(cluster, tmp_path):
    bad = tmp_path / "bad.jsonl"
    write_with_bad_line(bad)
    args = ["pipe", SENTENCE_CHUNKS, *EXAMPLES, str(bad)]
    here = cli(*args)
    there = cli(*args, "--executor", "ray", "--address", cluster)
    assert here.returncode == there.returncode == 1
    assert there.stdout == here.stdout and here.stdout.count(b"\n") > 5
    assert there.stderr.decode().strip().splitlines()[-1] == here.stderr.decode().strip().splitlines()[-1]


def test_keep_going_lists_a_corrupt_pdf_and_finishes_the_rest(cluster, tmp_path):
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\nthis is no PDF at all\n%%EOF\n")
    paths = [EXAMPLES[0], str(corrupt), EXAMPLES[1]]
    failures = ray_data.Failures()
    got = b"".join(o.data for o in ray_data.run_files(SENTENCE_CHUNKS, paths, keep_going=True,
                                                          failures=failures))
    assert got == local(SENTENCE_CHUNKS, [EXAMPLES[0], EXAMPLES[1]])
    assert len(failures.messages) == 1 and str(corrupt) in failures.messages[0]
    with pytest.raises(InputError) as local_err:
        local(SENTENCE_CHUNKS, paths)
    with pytest.raises(InputError) as ray_err:
        on_ray(SENTENCE_CHUNKS, paths)
    assert str(ray_err.value) == str(local_err.value)


def test_shards_are_written_in_input_order_and_read_back(cluster, tmp_path):
    out = tmp_path / "shards"
    proc = cli("pipe", SENTENCE_CHUNKS, *EXAMPLES, "--executor", "ray", "--address", cluster, "-o", f"{out}/")
    assert proc.returncode == 0, proc.stderr.decode()
    shards = sorted(out.iterdir())
    assert [p.name for p in shards] == [ray_data.shard_name(i) for i in range(len(shards))]
    assert len(shards) == len(EXAMPLES)
    assert b"".join(p.read_bytes() for p in shards) == local(SENTENCE_CHUNKS, EXAMPLES)
    merged = cli("merge", "--max-tokens", "256", *map(str, shards))
    assert merged.returncode == 0 and records(merged.stdout)
    again = cli("pipe", SENTENCE_CHUNKS, *EXAMPLES, "--executor", "ray", "--address", cluster, "-o", f"{out}/")
    assert again.returncode == 2 and b"earlier run" in again.stderr  # shards are never mixed across runs


def test_map_documents_inside_a_users_ray_job(cluster, tmp_path):
    docs = [{"id": f"d{i}", "text": f"Row {i}. It has two sentences.", "meta": {"n": i, "deep": {"k": [i]}}}
            for i in range(6)]
    dataset = ray.data.from_items(docs)
    rows = ray_data.map_documents(dataset, SENTENCE_CHUNKS).take_all()
    expected = [r for recs in Pipeline(SENTENCE_CHUNKS).groups(_items(docs)) for r in recs]
    assert list(ray_data.records_from(rows)) == expected
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b"".join(encode_jsonl(d) for d in docs))
    lines = ray_data.map_documents(ray.data.read_text(str(path)), SENTENCE_CHUNKS, column="text").take_all()
    assert b"".join(r["json"].encode() for r in lines) == local(SENTENCE_CHUNKS, [str(path)])


def _items(docs):
    from seamline.formats import Item

    return [Item(d, "<ray>", None) for d in docs]


def test_without_the_extra_the_executor_is_refused_in_one_line(tmp_path):
    code = ("import sys; sys.modules['ray'] = None\n"
            "from seamline.cli import main\n"
            f"main(['pipe', 'segment', {EXAMPLES[0]!r}, '--executor', 'ray'])")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "pip install 'seamline[ray]'" in lines[0]


def test_nothing_else_imports_ray():
    code = ("import sys, seamline\n"
            f"list(seamline.pipeline({SENTENCE_CHUNKS!r}).files([{EXAMPLES[0]!r}]))\n"
            "from seamline.cli import main\n"
            "assert 'ray' not in sys.modules, 'ray was imported'\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()


def test_options_of_the_ray_executor_are_refused_without_it():
    proc = cli("pipe", "segment", EXAMPLES[0], "--num-cpus", "2")
    assert proc.returncode == 2 and b"--executor ray" in proc.stderr
