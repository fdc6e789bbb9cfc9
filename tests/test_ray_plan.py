"""Planning a Ray run (no Ray needed): JSONL files cut into runs of whole lines."""
import random

import pytest

from seamline.errors import UsageError
from seamline.executors.ray_data import Task, line_blocks, plan, read_task
from seamline.formats import read_one


def write_lines(path, n, seed):
    rng = random.Random(seed)
    lines = [f'{{"id": "d{i}", "text": "{"x" * rng.randrange(0, 300)}"}}\n' for i in range(n)]
    if rng.random() < 0.5:
        lines.insert(rng.randrange(len(lines) + 1), "\n")  # a blank line is skipped, not counted out
    data = "".join(lines)
    if rng.random() < 0.5:
        data = data.rstrip("\n")  # no newline at the end
    path.write_text(data)
    return data.encode()


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("block", [1, 50, 700, 10_000])
def test_blocks_tile_the_file_at_line_starts(tmp_path, seed, block):
    path = tmp_path / "docs.jsonl"
    data = write_lines(path, 40, seed)
    blocks = list(line_blocks(str(path), block))
    pos = 0
    for begin, end, line in blocks:
        assert begin == pos
        assert line == data[:begin].count(b"\n") + 1
        assert begin == 0 or data[begin - 1:begin] == b"\n"
        pos = len(data) if end == -1 else end
        assert end == -1 or end > begin
    assert pos == len(data)


@pytest.mark.parametrize("block", [1, 64, 4096])
def test_tasks_read_what_the_whole_file_reads(tmp_path, block):
    path = tmp_path / "docs.jsonl"
    write_lines(path, 60, 3)
    tasks = list(plan([str(path)], block_bytes=block))
    assert [t.index for t in tasks] == list(range(len(tasks)))
    items = [item for task in tasks for item in read_task(task)]
    assert items == list(read_one(str(path), "jsonl"))


def test_a_bad_line_names_its_line_in_any_block(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(f'{{"id": "d{i}", "text": "t"}}\n' for i in range(30)) + "{oops\n")
    last = list(plan([str(path)], block_bytes=100))[-1]
    with pytest.raises(Exception) as err:
        list(read_task(last))
    assert f"{path}:31:" in str(err.value)


def test_other_formats_are_one_task_each(tmp_path):
    (tmp_path / "a.txt").write_text("A text.")
    (tmp_path / "b.md").write_text("# B\n\nText.")
    tasks = list(plan([str(tmp_path / "a.txt"), str(tmp_path / "b.md")]))
    assert tasks == [Task(0, str(tmp_path / "a.txt"), "text"), Task(1, str(tmp_path / "b.md"), "markdown")]


def test_standard_input_is_refused():
    with pytest.raises(UsageError, match="standard input"):
        list(plan(["-"]))
