"""Option values coerced without pydantic, so that a run does not import it.

typer 0.29 coerces every parameter value (defaults included) through a pydantic
TypeAdapter; building the first one imports pydantic, about a tenth of a second
of every `seamline` process. seamline's options take plain values: str, int,
float, bool, and lists of str. `install()` gives those parameters a coercion that
accepts the same well-formed values with the same results (tests compare the
two on every option of every command), and hands anything else, including every
value it would reject, to typer's own pydantic coercion, so the error messages
stay typer's.
"""
from __future__ import annotations

import re
from typing import Any, get_args, get_origin

_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def plain_value(annotation: Any, info: Any, value: Any) -> tuple[bool, Any]:
    """(True, coerced value) when `value` is a plain well-formed value of `annotation`, else (False, None)."""
    if annotation is str:
        return (True, value) if type(value) is str else (False, None)
    if annotation is int:
        if type(value) is str and _INT.fullmatch(value):
            value = int(value)
        return (True, value) if type(value) is int and _in_range(value, info) else (False, None)
    if annotation is float:
        if type(value) is str and _FLOAT.fullmatch(value):
            value = float(value)
        elif type(value) is int:
            value = float(value)
        return (True, value) if type(value) is float and _in_range(value, info) else (False, None)
    if annotation is bool:
        return (True, value) if type(value) is bool else (False, None)
    if get_origin(annotation) is list and get_args(annotation) == (str,):
        ok = isinstance(value, (list, tuple)) and all(type(v) is str for v in value)
        return (True, list(value)) if ok else (False, None)
    return False, None


def _in_range(value, info) -> bool:
    if getattr(info, "clamp", False):
        return False  # clamping is typer's to do
    low, high = getattr(info, "min", None), getattr(info, "max", None)
    return (low is None or value >= low) and (high is None or value <= high)


def handles(descriptor) -> bool:
    """Whether `plain_value` knows the descriptor's type (others always go to typer)."""
    info = descriptor.parameter_info
    if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
        return False
    annotation = descriptor.annotation
    return annotation in (str, int, float, bool) or (get_origin(annotation) is list and get_args(annotation) == (str,))


def install() -> None:
    """Give typer's parameters the plain coercion (does nothing if typer's internals are not as expected)."""
    try:
        from typer import _coercion, core
        base = _coercion.RuntimeParam
        parameter = core._TyperParameter
        original = parameter.get_runtime_param
    except (ImportError, AttributeError):
        return
    if getattr(original, "plain", False):
        return

    class PlainRuntimeParam(base):
        """Plain values here; the rest to the pydantic coercion typer would have used."""

        def _coerce_value(self, value, param, ctx):
            ok, out = plain_value(self.annotation, self.parameter_info, value)
            if ok:
                return out
            return _coercion.build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)

    def get_runtime_param(self):
        if self._runtime_param is None and handles(self.type_descriptor):
            self._runtime_param = PlainRuntimeParam(parameter_info=self.type_descriptor.parameter_info,
                                                    annotation=self.type_descriptor.annotation)
        return original(self)  # typer's own, which builds one only when none is set

    get_runtime_param.plain = True
    parameter.get_runtime_param = get_runtime_param
