"""Train the small spaCy `senter` pipeline the `spacy-senter` engine ships.

`python -m seamline.sbd.train_senter` builds a blank English pipeline with
spaCy's default sentence-recogniser model (a tiny hash-embedding CNN), trains
it on the UD English EWT training documents (sentence starts as gold), and
saves it to seamline/models/senter/. Deterministic: fixed seed and order.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from seamline.sbd.train import default_data_dir, read_gold

OUT = Path(__file__).resolve().parents[1] / "models" / "senter"


def examples(nlp, docs):
    from spacy.training import Example
    out = []
    for gold in docs:
        doc = nlp.make_doc(gold.text)
        starts = gold.gold | {0}
        flags = [1 if tok.idx in starts else -1 for tok in doc]
        out.append(Example.from_dict(doc, {"sent_starts": flags}))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m seamline.sbd.train_senter", description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=default_data_dir())
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--epochs", type=int, default=8)
    a = ap.parse_args(argv)

    import spacy
    from spacy.util import fix_random_seed, minibatch
    fix_random_seed(0)
    t0 = time.time()
    nlp = spacy.blank("en")
    nlp.add_pipe("senter")
    train = examples(nlp, read_gold(a.data / "train" / "ud_en_ewt.train.jsonl", "ud_en_ewt_train"))
    nlp.initialize(lambda: train)
    rng = random.Random(0)
    for epoch in range(a.epochs):
        rng.shuffle(train)
        losses: dict = {}
        for batch in minibatch(train, size=16):
            nlp.update(batch, losses=losses, drop=0.1)
        print(f"  epoch {epoch + 1}: loss {losses.get('senter', 0):.1f}", file=sys.stderr)
    nlp.meta["name"] = "seamline_senter"
    nlp.meta["description"] = "spaCy senter trained by seamline on UD English EWT train"
    nlp.to_disk(a.out)
    print(f"wrote {a.out} in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
