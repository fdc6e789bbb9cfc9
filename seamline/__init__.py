"""seamline: lossless segmentation and token-bounded chunking over JSONL streams.

The public API (docs/api.md) is loaded on first use, so `import seamline` stays
cheap: no NumPy, Numba, spaCy or typer until a function runs.

    import seamline
    for chunk in seamline.chunk("A long text. With sentences.", max_tokens=512):
        print(chunk.start, chunk.end, chunk.tokens)
"""

__version__ = "0.1.0"

__all__ = ["read", "segment", "score", "chunk", "merge", "evaluate", "pipeline", "plugins",
           "Pipeline", "Record", "SeamlineError", "InputError", "UsageError", "__version__"]

_FROM = {"read": "seamline.api", "segment": "seamline.api", "score": "seamline.api", "chunk": "seamline.api",
         "merge": "seamline.api", "evaluate": "seamline.api", "pipeline": "seamline.api",
         "plugins": "seamline.api", "Pipeline": "seamline.api", "Record": "seamline.records",
         "SeamlineError": "seamline.errors", "InputError": "seamline.errors", "UsageError": "seamline.errors"}


def __getattr__(name: str):
    if name in _FROM:
        import importlib

        value = getattr(importlib.import_module(_FROM[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    raise AttributeError(f"module 'seamline' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
