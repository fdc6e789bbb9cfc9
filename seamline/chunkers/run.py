"""Chunking a stream of documents: each one's strategy runs while the next are counted on other threads."""
from __future__ import annotations

from typing import Iterable, Iterator

from seamline.chunkers.documents import DocumentGroup
from seamline.chunkers.options import ChunkOptions
from seamline.chunkers.tables import chunk_with_table_headers
from seamline.chunkers.view import group_text
from seamline.records import UnitGroup, widen_page_spans
from seamline.streams import Groups
from seamline.tokenizers import ANCHOR_SAFE_PATTERNS, TiktokenTokenizer, Tokenizer

# Strategies that put `context` into their chunks themselves (--with-headings).
OWN_HEADINGS = ("legal", "fill")

# Documents counted ahead of the one being chunked, each on its own thread (two
# ahead kept both cores busy on the corpus benchmark; one left one idle).
AHEAD = 2


def _counts_from_one_pass(tokenizer: Tokenizer) -> bool:
    return isinstance(tokenizer, TiktokenTokenizer) and tokenizer.enc._pat_str in ANCHOR_SAFE_PATTERNS


def chunk_groups(groups: Iterable[UnitGroup], tokenizer: Tokenizer, options: ChunkOptions,
                 strategy: str = "pack") -> Iterator[list[dict]]:
    """Chunk each document while the next AHEAD documents are counted on other threads.

    Counting (seamline.anchors) is mostly NumPy and tiktoken, which release the
    GIL, so counting documents k+1 and k+2 overlaps with segmenting and
    chunking document k and writing its records. At most AHEAD + 1 documents
    are held at once.
    """
    from concurrent.futures import ThreadPoolExecutor

    from seamline.chunkers import get_strategy

    strategy_run = get_strategy(strategy)

    def with_headings(group, tokenizer, options):
        if options.with_headings and strategy not in OWN_HEADINGS:
            from seamline.chunkers.headings import chunk_with_headings
            return chunk_with_headings(group, tokenizer, options, strategy_run)
        return strategy_run(group, tokenizer, options)

    def run(group, tokenizer, options):
        # a table cut into pieces repeats its header row in each piece's context (after any headings)
        chunks = chunk_with_table_headers(group, tokenizer, options, with_headings)
        return widen_page_spans(chunks, group.units) if isinstance(group, UnitGroup) else chunks

    if not _counts_from_one_pass(tokenizer):  # only then is there real work to move to a second thread
        for group in groups:
            yield run(group, tokenizer, options)
        return
    def prepare(group, text):
        spans = tokenizer.spans(text)
        if isinstance(group, DocumentGroup) and group.segment_ahead(strategy, options.max_tokens - options.overlap):
            group.units  # noqa: B018  (segmented here, off the thread that chunks)
        return spans

    from collections import deque
    pending: deque = deque()
    ready = groups.ready if isinstance(groups, Groups) else None
    source = iter(groups)
    with ThreadPoolExecutor(max_workers=AHEAD) as pool:
        try:
            while True:
                # read ahead only what is there already: a document the input has not
                # finished waits, the documents held meanwhile go out
                while pending and ready is not None and not ready():
                    yield run(pending.popleft(), tokenizer, options)
                try:
                    group = next(source, None)
                except Exception:  # a bad record: the good documents before it go out first
                    while pending:
                        yield run(pending.popleft(), tokenizer, options)
                    raise
                if group is None:
                    break
                text = group_text(group)
                group.prepared = (tokenizer, text, pool.submit(prepare, group, text))
                pending.append(group)
                if len(pending) > AHEAD:
                    yield run(pending.popleft(), tokenizer, options)
            while pending:
                yield run(pending.popleft(), tokenizer, options)
        finally:
            for group in pending:  # a run ended early: drop what was counted ahead
                group.prepared = None
            if isinstance(groups, Groups):
                groups.close()
