"""`seamline eval`: compare predicted units or chunks with gold segments, and describe chunks.

gold.py reads gold documents, boundaries.py turns spans into boundaries over
characters, words or sentences, metrics.py scores them (kernels in
seamline/kernels/metrics.py), stats.py and retrieval.py describe chunks, and
run.py ties them into the records the CLI prints.
"""
