"""Looking at a cut: units drawn on a terminal (rich) or as one self-contained HTML page.

`read_stream` reads a unit stream one document at a time, `aligned` reads several
streams of the same documents side by side, `document_view` gives a document's
rich renderables and `write_page` writes the page. Nothing here parses options
or prints: that is `seamline.cli.view`.
"""
from seamline.view.page import PageOptions, PageReport, write_page
from seamline.view.stream import Selection, StreamDoc, Unit, aligned, read_stream
from seamline.view.terminal import TerminalOptions, document_view

__all__ = ["PageOptions", "PageReport", "Selection", "StreamDoc", "TerminalOptions", "Unit", "aligned",
           "document_view", "read_stream", "write_page"]
