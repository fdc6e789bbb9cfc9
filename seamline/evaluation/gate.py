"""`--fail-under`: a CI gate over eval's summaries.

A gate passes only when every threshold holds on every summary and there was
something to measure: a summary over no documents (an empty or missing
prediction stream) fails, unless the caller allows it. A gate over nothing
would otherwise pass any threshold: zero chunks are never over budget.
"""
from __future__ import annotations

from seamline.errors import InputError
from seamline.evaluation.run import HIGHER_IS_BETTER


def gate_failures(summaries: list[dict], thresholds: list[tuple[str, float]], allow_empty: bool = False) -> list[str]:
    """What fails the gate, one phrase each; empty when it passes."""
    short = []
    for summary in summaries:
        if thresholds and not allow_empty and not summary.get("docs"):
            short.append(f"{summary['pred']}: no documents to measure (an empty prediction stream; "
                         "--allow-empty lets an empty input pass)")
            continue
        for name, limit in thresholds:
            value = summary.get(name)
            if value is None:
                short.append(f"{summary['pred']}: {name} was not measured (needs --gold, --questions, "
                             "--max-tokens or --sentences)")
            elif (value < limit) if HIGHER_IS_BETTER[name] else (value > limit):
                word = "below" if HIGHER_IS_BETTER[name] else "above"
                short.append(f"{summary['pred']}: {name} {value:.4g} is {word} {limit:g}")
    return short


def check_gate(summaries: list[dict], thresholds: list[tuple[str, float]], allow_empty: bool = False) -> None:
    """Raise InputError (exit status 1) naming every failure of the gate."""
    short = gate_failures(summaries, thresholds, allow_empty)
    if short:
        raise InputError("--fail-under: " + "; ".join(short))
