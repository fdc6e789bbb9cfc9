"""The examples in docs/api.md run, and print what the page says they print."""
from __future__ import annotations

import doctest

from conftest import ROOT


def test_docs_api_examples_run():
    result = doctest.testfile(str(ROOT / "docs" / "api.md"), module_relative=False,
                              optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 15 and result.failed == 0
