"""seamline: lossless segmentation and token-bounded chunking over JSONL streams."""

__version__ = "0.1.0"
