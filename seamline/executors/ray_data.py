"""The same pipeline on Ray Data: many workers, one machine or a cluster.

The driver only plans: it expands the inputs as `segment` does and cuts them
into tasks (a whole file, or a run of whole lines of an uncompressed JSONL
file, with the number of its first line so errors name the right line). A
pool of Ray actors runs the tasks; each actor builds the pipeline once (models,
tokenizers, topic files load once per actor) and turns a task into the encoded
records of its documents, exactly as the single-process run would encode them.
Ray keeps the tasks in input order (`preserve_order`), retries a task whose
worker died, and streams: the driver holds a few tasks' output at a time.

Nothing here imports Ray at module level: `import seamline` never does.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from seamline.batch import Failures  # the same list of --keep-going failures as `-j N` keeps
from seamline.errors import InputError, MissingExtra, SeamlineError, UsageError
from seamline.formats import Item, format_for, read_one

# A JSONL task holds about this many bytes of whole lines: small enough that two
# workers share a single large file, large enough that a task repays its round trip.
BLOCK_BYTES = 2 << 20
SCAN_BYTES = 1 << 20


@dataclass(frozen=True)
class Task:
    """One unit of work: a file, or the lines of a JSONL file between two byte offsets."""

    index: int
    path: str
    fmt: str
    begin: int = 0
    end: int = -1        # -1: to the end of the file
    first_line: int = 1  # the line number at `begin`


@dataclass
class Outcome:
    """What a task gave back: its encoded records (or the shard it wrote) and its error, if any."""

    index: int
    path: str
    data: bytes
    error: str = ""
    status: int = 0
    shard: str = ""
    size: int = 0  # bytes of input the task read


def import_ray():
    try:
        import ray
    except ImportError:
        raise MissingExtra("ray", "ray", "--executor ray") from None
    return ray


# ---------------------------------------------------------------- planning (driver)

def plan(paths: Sequence[str], forced: str | None = None, block_bytes: int = BLOCK_BYTES) -> Iterator[Task]:
    """Tasks for the inputs, in input order. Standard input cannot be shared with workers."""
    index = 0
    for path in paths:
        if path == "-":
            raise UsageError("--executor ray reads files, not standard input: name the input files")
        fmt = format_for(path, forced)
        if fmt == "jsonl" and not path.lower().endswith(".gz"):
            for begin, end, line in line_blocks(path, block_bytes):
                yield Task(index, path, fmt, begin, end, line)
                index += 1
        else:
            yield Task(index, path, fmt)
            index += 1


def line_blocks(path: str, block_bytes: int) -> Iterator[tuple[int, int, int]]:
    """(begin, end, first line) of runs of whole lines of about block_bytes each.

    The file is read once, a megabyte at a time, to count lines: the driver
    never holds more than that of it.
    """
    begin, line, pos = 0, 1, 0
    lines_in_block = 0
    with open(path, "rb") as f:
        while True:
            buf = f.read(SCAN_BYTES)
            if not buf:
                break
            start = 0
            while True:
                cut = begin + block_bytes - pos
                if cut >= len(buf):
                    lines_in_block += buf.count(b"\n", start)
                    break
                nl = buf.find(b"\n", max(cut, start))
                if nl < 0:
                    lines_in_block += buf.count(b"\n", start)
                    break
                lines_in_block += buf.count(b"\n", start, nl + 1)
                end = pos + nl + 1
                yield begin, end, line
                begin, line, lines_in_block = end, line + lines_in_block, 0
                start = nl + 1
            pos += len(buf)
    if pos > begin or begin == 0:
        yield begin, -1, line


def read_task(task: Task, keep_boilerplate: bool = False) -> Iterator[Item]:
    """The items of one task, with the sources and line numbers a single-process run gives them."""
    if task.fmt != "jsonl" or (task.begin == 0 and task.end == -1):
        yield from read_one(task.path, task.fmt, keep_boilerplate)
        return
    from seamline.formats.jsonl import BOM, parse_line

    with open(task.path, "rb") as f:
        f.seek(task.begin)
        number = task.first_line - 1
        left = None if task.end < 0 else task.end - task.begin
        while left is None or left > 0:
            raw = f.readline() if left is None else f.readline(left)
            if not raw:
                break
            if left is not None:
                left -= len(raw)
            number += 1
            if number == 1 and raw.startswith(BOM):
                raw = raw[len(BOM):]
            if raw.strip():
                yield Item(parse_line(raw, task.path, number), task.path, number)


# ---------------------------------------------------------------- the work (workers)

def run_task(pipeline, task: Task, encode) -> Outcome:
    """Encoded records of one task; a bad record ends the task after the good ones before it."""
    parts: list[bytes] = []
    try:
        for records in pipeline.files([task.path], task.fmt, lambda path, fmt, keep: read_task(task, keep)):
            parts.append(b"".join(encode(rec) for rec in records))
    except SeamlineError as err:
        return Outcome(task.index, task.path, b"".join(parts), str(err), err.exit_status)
    except Exception as err:  # a bug of ours, or a reader's crash on a corrupt file: one line, still
        message = f"{task.path}: cannot process: {type(err).__name__}: {err}"
        return Outcome(task.index, task.path, b"".join(parts), message, 1)
    return Outcome(task.index, task.path, b"".join(parts))


def task_size(task: Task) -> int:
    if task.end >= 0:
        return task.end - task.begin
    try:
        return os.path.getsize(task.path) - task.begin
    except OSError:
        return 0


def shard_name(index: int) -> str:
    return f"part-{index:06d}.jsonl"


def write_shard(directory: str, outcome: Outcome) -> Outcome:
    """Write a task's records as one shard, atomically: a retried task replaces it, never doubles it."""
    name = os.path.join(directory, shard_name(outcome.index))
    tmp = f"{name}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(outcome.data)
    os.replace(tmp, name)
    outcome.data, outcome.shard = b"", name
    return outcome


def check_shard_dir(directory: str, inputs: Sequence[str]) -> None:
    """Refuse a shard directory that holds an input or the shards of an earlier run."""
    from seamline.formats import expand_inputs

    real = os.path.realpath(directory)
    for path in expand_inputs(inputs):
        if path != "-" and os.path.realpath(path).startswith(real + os.sep):
            raise UsageError(f"-o {directory}: the input {path!r} is inside it; write the shards elsewhere")
    if os.path.isdir(directory) and any(n.startswith("part-") for n in os.listdir(directory)):
        raise UsageError(f"-o {directory}: it holds shards of an earlier run; remove them or choose "
                         "another directory")


class PipelineWorker:
    """A Ray actor that builds its pipeline (models, tokenizers, topic files) once.

    What it runs is set on a subclass (`bound`), not passed to the constructor:
    Ray keeps constructor arguments in its object store, where a restarted
    actor might not find them again.
    """

    stages: object = None
    out_format = "jsonl"

    def __init__(self):
        from seamline.api import Pipeline
        from seamline.formats.writers import encoder

        self.pipeline = Pipeline(self.stages)
        self.encode = encoder(self.out_format)


class TaskWorker(PipelineWorker):
    """The actor of `run_files`: one task (a file, or a run of JSONL lines) per call."""

    shard_dir: str | None = None

    def __call__(self, batch: dict) -> dict:
        rows: dict[str, list] = {k: [] for k in ("index", "path", "data", "error", "status", "shard", "size")}
        for i in range(len(batch["index"])):
            task = Task(int(batch["index"][i]), str(batch["path"][i]), str(batch["fmt"][i]),
                        int(batch["begin"][i]), int(batch["end"][i]), int(batch["first_line"][i]))
            outcome = run_task(self.pipeline, task, self.encode)
            outcome.size = task_size(task)
            if self.shard_dir is not None:
                outcome = write_shard(self.shard_dir, outcome)
            for key in rows:
                rows[key].append(getattr(outcome, key))
        return rows


def bound(worker: type, **settings) -> type:
    """A subclass of a worker class that carries its settings (pickled with the class)."""
    return type(worker.__name__, (worker,), settings)


# ---------------------------------------------------------------- driver

def start(address: str | None = None, num_cpus: int | None = None, quiet: bool = False):
    """Join a running Ray (a user's own job, or --address), or start a local one.

    `quiet` (the command line) keeps Ray's own log lines off standard error.
    """
    if quiet:
        # set before Ray Data is imported: it reads its log level once
        os.environ.setdefault("RAY_DATA_LOG_LEVEL", "ERROR")
    ray = import_ray()
    if quiet:
        import logging

        # Ray configures its loggers when imported, so their level is set after; its notices
        # (token authentication on a local cluster) are not the user's business on a command line.
        logging.getLogger("ray").setLevel(logging.ERROR)
    if not ray.is_initialized():
        options = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
        if address:
            ray.init(address=address, **options)
        else:
            # A local cluster listens on loopback only. Its workers are the work the
            # user asked for: they run at the caller's priority, not Ray's default
            # niceness of 15, which starves them whenever anything else runs.
            ray.init(num_cpus=num_cpus, _node_ip_address="127.0.0.1", _system_config={"worker_niceness": 0},
                     **options)
    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    return ray


def workers_for(ray, num_cpus: int | None) -> int:
    if num_cpus:
        return max(1, num_cpus)
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def run_files(stages, paths: Sequence[str], *, forced: str | None = None, out_format: str = "jsonl",
              shard_dir: str | None = None, address: str | None = None, num_cpus: int | None = None,
              keep_going: bool = False, failures: Failures | None = None,
              block_bytes: int = BLOCK_BYTES, quiet: bool = False) -> Iterator[Outcome]:
    """Outcomes of every task in input order; an error is raised after everything before it.

    With keep_going, failed tasks are listed in `failures` and the run goes on.
    """
    from seamline.api import Pipeline

    Pipeline(stages)  # options are checked here, on the driver, before any worker starts
    tasks = [task.__dict__ for task in plan(paths, forced, block_bytes)]
    if not tasks:
        return
    ray = start(address, num_cpus, quiet)
    if shard_dir is not None:
        os.makedirs(shard_dir, exist_ok=True)
    dataset = ray.data.from_items(tasks, override_num_blocks=len(tasks))
    # Ray Data restarts a dead actor and retries its task by default
    # (max_restarts=-1, max_task_retries=-1): a worker that dies costs a retry.
    results = dataset.map_batches(
        bound(TaskWorker, stages=stages, out_format=out_format, shard_dir=shard_dir), batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=workers_for(ray, num_cpus)), num_cpus=1, batch_format="numpy")
    failures = failures if failures is not None else Failures()
    failures.files = len(paths)
    rows = iter(results.iter_rows())
    try:
        for row in rows:
            outcome = Outcome(int(row["index"]), str(row["path"]), bytes(row["data"]), str(row["error"]),
                              int(row["status"]), str(row["shard"]), int(row["size"]))
            if outcome.error:
                if not keep_going or outcome.status != 1:
                    yield outcome
                    raise (InputError if outcome.status == 1 else UsageError)(outcome.error)
                failures.messages.append(outcome.error)
            yield outcome
    finally:
        rows.close()  # ends the run at once, so its workers free their CPUs for the next one


def map_documents(dataset, stages, *, column: str | None = None, out_format: str = "jsonl",
                  concurrency: int | None = None):
    """A Ray Dataset of documents in, a Dataset of records out.

    Rows are documents ({"id", "text", "meta"}), or, with `column`, rows whose
    `column` holds one document as a JSON line (what `ray.data.read_text` gives
    for a JSONL file, column "text"): parsed in the worker, so nested meta
    comes through exactly as written. Each output row is one record: `doc`,
    `seq` and `json` (the record as the command line writes it, one JSON line).
    The pipeline is built once per actor.
    """
    ray = import_ray()
    worker = bound(DocumentWorker, stages=stages, out_format=out_format, column=column)
    # A pool that grows from one actor: a fixed pool as large as the cluster
    # would hold every CPU and starve the tasks that read the dataset for it.
    pool = ray.data.ActorPoolStrategy(min_size=1, max_size=concurrency or workers_for(ray, None))
    return dataset.map_batches(worker, batch_format="pyarrow", compute=pool, num_cpus=1)


class DocumentWorker(PipelineWorker):
    """The actor of `map_documents`: documents of a batch in, one row per record out."""

    column: str | None = None

    def __call__(self, batch) -> dict:
        if self.column is not None:
            from seamline.formats.jsonl import parse_line

            lines = batch.column(self.column).to_pylist()
            items = (Item(parse_line(line.encode("utf-8") + b"\n", "<ray>", None), "<ray>", None)
                     for line in lines if line.strip())
        else:
            items = (Item(_plain_document(doc), "<ray>", None) for doc in batch.to_pylist())
        out: dict[str, list] = {"doc": [], "seq": [], "json": []}
        for records in self.pipeline.groups(items):
            for rec in records:
                out["doc"].append(str(rec.get("doc")))
                out["seq"].append(int(rec.get("seq", 0)))
                out["json"].append(self.encode(rec).decode("utf-8"))
        return out


def _plain_document(row: dict) -> dict:
    """A row as Ray gives it back: absent fields of other rows come as None; drop them."""
    return {k: v for k, v in row.items() if v is not None}


def records_from(rows: Iterable[dict]) -> Iterator[dict]:
    """The records of `map_documents` rows, as dicts."""
    import orjson

    for row in rows:
        yield orjson.loads(row["json"])
