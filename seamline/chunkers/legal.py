"""`--strategy legal`: token-bounded chunks that follow the provision tree.

Units carry `path` (from `seamline segment --by legal`; documents and units
without paths are segmented with the legal segmenter first). A provision that
fits the budget is one chunk; one that does not is split into its children,
recursively, down to single units, and a unit over the budget is cut at token
boundaries. Neighbouring provisions that each fit whole are merged while the
sum fits: a chunk is either several whole sibling provisions or lies inside
one provision, never part of one provision plus text of another.

With `--with-headings` each chunk gets `context`: the headings of its path
that are not inside the chunk, one per line. `text` stays exactly
document[start:end]; `tokens` counts `context + "\\n" + text`, and that count
is what the budget bounds.
"""
from __future__ import annotations

from dataclasses import dataclass

from seamline.chunkers.headings import SEPARATOR, HeadingContext
from seamline.chunkers.options import ChunkOptions, check_budget
from seamline.chunkers.view import carried_fields
from seamline.records import UnitGroup, make_unit
from seamline.tokenizers import Tokenizer

OWNED = ("path", "heading", "level", "context")


@dataclass
class _Chunk:
    start: int
    end: int
    first: int  # index of its first unit
    last: int  # index past its last unit
    whole: bool  # made of whole provisions (may merge with whole neighbours)


class _Planner:
    def __init__(self, units: list[dict], tokenizer: Tokenizer, max_tokens: int, with_headings: bool):
        self.units = units
        self.tok = tokenizer
        self.max = max_tokens
        self.with_headings = with_headings
        self.paths = [tuple(u.get("path") or ()) for u in units]
        self.counts = tokenizer.count_many([u["text"] for u in units])
        self.prefix = [0]
        for n in self.counts:
            self.prefix.append(self.prefix[-1] + n)
        # headings: legal units' `heading`, or the reader's (Markdown, HTML, PDF units)
        self.context_of = HeadingContext(units, tokenizer, max_tokens // 2)
        self._budget_cache: dict[tuple, int] = {}

    # --- context -------------------------------------------------------------
    def context(self, path: tuple, start: int) -> str:
        """Headings of the path's prefixes that start before `start`, trimmed to half the budget."""
        return self.context_of(path, start) if self.with_headings else ""

    def budget(self, path: tuple) -> int:
        """Tokens left for text under `path` once its context (all of it, at worst) is counted."""
        if path not in self._budget_cache:
            # A chunk's context is the context of one of the path's prefixes (headings inside the
            # chunk are left out, and they are the path's last ones), so the largest one bounds it.
            worst = 0
            for k in range(len(path) + 1):
                ctx = self.context(path[:k], 1 << 62)
                worst = max(worst, self.tok.count(ctx + SEPARATOR) if ctx else 0)
            self._budget_cache[path] = self.max - worst
        return max(1, self._budget_cache[path])

    def total(self, lo: int, hi: int) -> int:
        return self.prefix[hi] - self.prefix[lo]

    # --- planning ------------------------------------------------------------
    def plan(self, lo: int, hi: int, depth: int) -> list[_Chunk]:
        parent = self.paths[lo][:depth]
        budget = self.budget(parent)
        if self.total(lo, hi) <= budget:
            return [self._range(lo, hi, True)]
        runs = self._runs(lo, hi, depth)
        if len(runs) == 1 and runs[0][2]:
            return self.plan(lo, hi, depth + 1)
        results: list[_Chunk] = []
        for a, b, keyed in runs:
            if self.total(a, b) <= budget:
                results.append(self._range(a, b, True))
            elif keyed:
                # parts of a provision that did not fit: never merged with its siblings out here
                for part in self.plan(a, b, depth + 1):
                    part.whole = False
                    results.append(part)
            else:
                results.extend(self._cut(a, budget))
        return self._merge(results, budget, lo, depth)

    def _runs(self, lo: int, hi: int, depth: int) -> list[tuple[int, int, bool]]:
        """Consecutive units under the same child of the parent; units of the parent itself stand alone."""
        runs = []
        i = lo
        while i < hi:
            key = self.paths[i][depth] if len(self.paths[i]) > depth else None
            j = i + 1
            if key is not None:
                while j < hi and len(self.paths[j]) > depth and self.paths[j][depth] == key:
                    j += 1
            runs.append((i, j, key is not None))
            i = j
        return runs

    def _merge(self, results: list[_Chunk], budget: int, lo: int, depth: int) -> list[_Chunk]:
        out: list[_Chunk] = []
        for chunk in results:
            if out and self._joinable(out[-1], chunk, depth) and \
                    self.total(out[-1].first, chunk.last) <= budget and out[-1].end == chunk.start:
                prev = out.pop()
                chunk = _Chunk(prev.start, chunk.end, prev.first, chunk.last, prev.whole and chunk.whole)
            out.append(chunk)
        return out

    @staticmethod
    def _joinable(prev: _Chunk, nxt: _Chunk, depth: int) -> bool:
        # Only whole provisions merge. A split provision's heading stays a chunk of its own
        # rather than open its first child's chunk: that would put a chapter heading and part
        # of its first section together.
        return prev.whole and nxt.whole

    def _range(self, lo: int, hi: int, whole: bool) -> _Chunk:
        return _Chunk(self.units[lo]["start"], self.units[hi - 1]["end"], lo, hi, whole)

    def _cut(self, index: int, budget: int) -> list[_Chunk]:
        unit = self.units[index]
        if self.counts[index] <= budget:
            return [self._range(index, index + 1, True)]
        pieces, _ = fit_pieces(UnitGroup("", [unit]), self.tok, budget)
        return [_Chunk(s, e, index, index + 1, False) for s, e, _ in pieces]


def legal_strategy(group: UnitGroup, tokenizer: Tokenizer, options: ChunkOptions) -> list[dict]:
    check_budget(options.max_tokens)
    units = group.units
    if units and not any("path" in u for u in units):
        units = _provisions(group)
    if not units:
        return []
    planner = _Planner(units, tokenizer, options.max_tokens, options.with_headings)
    text = group.text
    chunks = []
    for plan in planner.plan(0, len(units), 0):
        for start, end in _within_bound(planner, plan, text):
            chunks.append(_record(group, planner, plan, start, end, text, len(chunks)))
    return chunks


def _common_path(planner: _Planner, plan: _Chunk) -> tuple:
    path = planner.paths[plan.first]
    for i in range(plan.first + 1, plan.last):
        other = planner.paths[i]
        k = 0
        while k < min(len(path), len(other)) and path[k] == other[k]:
            k += 1
        path = path[:k]
    return path


def _within_bound(planner: _Planner, plan: _Chunk, text: str) -> list[tuple[int, int]]:
    """The chunk's span, or finer spans if context + text counted together exceed the budget (rare)."""
    path = _common_path(planner, plan)
    ctx = planner.context(path, plan.start)
    if not ctx and plan.last - plan.first == 1 and plan.whole:
        return [(plan.start, plan.end)]  # one unit, counted when planned
    body = text[plan.start:plan.end]
    if _count(planner.tok, ctx, body) <= planner.max:
        return [(plan.start, plan.end)]
    spans = []
    budget = planner.max - (planner.tok.count(ctx + SEPARATOR) if ctx else 0)
    while True:
        budget = max(1, budget - 1)
        spans, pos, ok = [], plan.start, True
        for rel_end in planner.tok.cut(body, budget):
            piece_ctx = planner.context(path, pos)
            if _count(planner.tok, piece_ctx, text[pos:plan.start + rel_end]) > planner.max:
                ok = False
                break
            spans.append((pos, plan.start + rel_end))
            pos = plan.start + rel_end
        if ok or budget == 1:
            return spans


def _count(tokenizer: Tokenizer, context: str, body: str) -> int:
    return tokenizer.count(context + SEPARATOR + body) if context else tokenizer.count(body)


def _record(group: UnitGroup, planner: _Planner, plan: _Chunk, start: int, end: int, text: str, seq: int) -> dict:
    path = _common_path(planner, plan)
    ctx = planner.context(path, start)
    body = text[start:end]
    first = planner.units[plan.first]
    extra = {k: v for k, v in carried_fields(first).items() if k not in OWNED}
    refs = _refs(planner.units[plan.first:plan.last])
    if refs or "meta" in extra:
        meta = {k: v for k, v in (extra.get("meta") or {}).items() if k != "refs"}
        if refs:
            meta["refs"] = refs
        extra["meta"] = meta
        if not meta:
            del extra["meta"]
    fields = {"path": list(path), **extra}
    if planner.with_headings:
        fields["context"] = ctx
    if not ctx and plan.last - plan.first == 1 and plan.whole:
        tokens = planner.counts[plan.first]
    else:
        tokens = _count(planner.tok, ctx, body)
    return make_unit(group.doc, seq, "chunk", start, end, body, tokens=tokens, **fields)


def _refs(units: list[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for unit in units:
        for ref in (unit.get("meta") or {}).get("refs") or ():
            seen.setdefault(ref, None)
    return list(seen)


def _provisions(group: UnitGroup) -> list[dict]:
    """Units without paths (sentences, paragraphs): segment the document text as provisions instead."""
    from seamline.legal.units import provision_spans

    text = group.text
    meta = group.units[0].get("meta")
    out = []
    for start, end, fields in provision_spans(text):
        unit = make_unit(group.doc, len(out), "section", start, end, text[start:end], **fields)
        if meta:
            unit["meta"] = {**meta, **unit.get("meta", {})}
        out.append(unit)
    return out


def fit_pieces(group: UnitGroup, tokenizer: Tokenizer, budget: int) -> tuple[list[tuple[int, int, int]], list[int]]:
    """(start, end, unit index) pieces, none over budget, and their exact counts."""
    units = group.units
    counts = tokenizer.count_many([u["text"] for u in units])
    pieces: list[tuple[int, int, int]] = []
    piece_counts: list[int] = []
    for index, (unit, n) in enumerate(zip(units, counts)):
        if n <= budget:
            pieces.append((unit["start"], unit["end"], index))
            piece_counts.append(n)
            continue
        start = unit["start"]
        for end in tokenizer.cut(unit["text"], budget):
            text = unit["text"][start - unit["start"]:end]
            pieces.append((start, unit["start"] + end, index))
            piece_counts.append(tokenizer.count(text))
            start = unit["start"] + end
    return pieces, piece_counts
