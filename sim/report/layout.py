"""Page layout of the printed forecast: A4 sheets laid out in inches from the top-left corner,
word wrap in the report's font, the footer, and writing pages to a PDF.

Fonts are embedded as TrueType (pdf.fonttype 42) and body text is at least 9 pt.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from sim.charts import FONT, text_width
from sim.labels import HYPHENATION, label

A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.6
FOOTER_INCHES = 0.4
STYLE: dict[str, Any] = {
    "pdf.fonttype": 42,          # TrueType, embedded: no Type 3 bitmaps
    "text.parse_math": False,    # user text is drawn literally: "US$2M, $40/hour" is no formula
    "ps.fonttype": 42,
    "font.family": FONT,
    "font.size": 10,
    "axes.titlesize": 10.5,
    "axes.labelsize": 9.5,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "0.3",
    "axes.linewidth": 0.7,
}
"""Readable at 100 % on A4: nothing below 9 pt."""


def wrap(text: str, width: float, size: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap to `width` inches; a word longer than a line is broken with a hyphen, at a
    compound's boundary when `HYPHENATION` knows it, else where it must."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, weight) <= width:
            lines[-1] = f"{lines[-1]} {word}"
            continue
        while text_width(word, size, weight) > width and len(word) > 1:
            lines.append(_hyphenated(word, width, size, weight))
            word = word[len(lines[-1]) - 1:]
        lines.append(word)
    return lines


def _hyphenated(word: str, width: float, size: float, weight: str) -> str:
    """The longest head of `word` that fits `width` with a hyphen, preferring a compound's
    boundary."""
    fits = [i for i in range(1, len(word)) if text_width(word[:i] + "-", size, weight) <= width]
    marked = HYPHENATION.get(word, "").split("|")
    bounds = [len("".join(marked[:k])) for k in range(1, len(marked))]
    cut = max([b for b in bounds if b in fits] or fits or [1])
    return word[:cut] + "-"


def two_line_width(text: str, size: float, weight: str = "normal") -> float:
    """The least width in inches at which `text` wraps onto at most two lines."""
    words = text.split(" ")
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    return min([text_width(text, size, weight)]
               + [max(text_width(a, size, weight), text_width(b, size, weight))
                  for a, b in splits])


def line_height(size: float) -> float:
    return size * 1.35 / 72


class Sheet:
    """One A4 page, laid out in inches from its top-left corner, with a cursor `y`."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        self.width, self.height = A4_INCHES
        self.left = MARGIN_INCHES
        self.text_width = self.width - 2 * MARGIN_INCHES
        self.bottom = self.height - MARGIN_INCHES - FOOTER_INCHES
        self.y = MARGIN_INCHES

    def axes(self, left: float, top: float, width: float, height: float, **kw: Any) -> Axes:
        return self.fig.add_axes((left / self.width, 1 - (top + height) / self.height,
                                  width / self.width, height / self.height), **kw)

    def text(self, x: float, y: float, text: str, size: float = 10, **kw: Any) -> None:
        self.fig.text(x / self.width, 1 - y / self.height, text, fontsize=size, va="top", **kw)

    def paragraph(self, text: str, size: float = 10, weight: str = "normal", indent: float = 0.0,
                  bullet: str = "", after: float = 0.08, colour: str = "black") -> None:
        """Wrapped text at the cursor, which moves below it."""
        lines = wrap(text, self.text_width - indent, size, weight)
        if bullet:
            self.text(self.left + indent - 0.18, self.y, bullet, size, weight=weight)
        for line in lines:
            self.text(self.left + indent, self.y, line, size, weight=weight, color=colour)
            self.y += line_height(size)
        self.y += after

    def heading(self, text: str, size: float = 12.5) -> None:
        self.y += 0.1
        self.paragraph(text, size, "bold", after=0.04)


def draw_footer(sheet: Sheet, left: str, n: int, total: int, lang: str) -> None:
    """The page's footer: `left` (cut short with "…" if it would reach the page number) and
    "page n of total" on the right."""
    y = sheet.height - MARGIN_INCHES - 0.15
    number = label("page", lang).format(n=n, total=total)
    room = sheet.text_width - text_width(number, 9) - 0.3
    if text_width(left, 9) > room:
        while left and text_width(left + "…", 9) > room:
            left = left[:-1]
        left = left.rstrip(" ·:") + "…"
    sheet.text(sheet.left, y, left, 9, color="0.35")
    sheet.text(sheet.width - MARGIN_INCHES, y, number, 9, color="0.35", ha="right")


Page = Callable[[Sheet], None]


def flow(blocks: list[Page]) -> list[Page]:
    """Blocks drawn one under the other, onto as many pages as they need: each block is measured
    on scratch paper and starts a new page when it would run past the bottom margin."""
    pages: list[list[Page]] = [[]]
    scratch = Sheet(Figure(figsize=A4_INCHES))
    for block in blocks:
        block(scratch)
        if scratch.y > scratch.bottom and pages[-1]:
            pages.append([])
            scratch = Sheet(Figure(figsize=A4_INCHES))
            block(scratch)
        pages[-1].append(block)

    def page(chosen: list[Page]) -> Page:
        def draw(sheet: Sheet) -> None:
            for block in chosen:
                block(sheet)
        return draw

    return [page(chosen) for chosen in pages]


@contextmanager
def report_style() -> Iterator[None]:
    """The report's fonts and sizes, for drawing pages and for measuring them in tests."""
    style: Any = STYLE
    with matplotlib.rc_context(style):
        yield


def page_figures(pages: list[Page], footer: str, lang: str) -> Iterator[Figure]:
    """Each page drawn on an A4 figure with its footer (call inside `report_style`)."""
    for n, draw in enumerate(pages, start=1):
        fig = Figure(figsize=A4_INCHES)
        sheet = Sheet(fig)
        draw(sheet)
        draw_footer(sheet, footer, n, len(pages), lang)
        yield fig


def write_pdf(out: Path, pages: list[Page], footer: str, lang: str) -> Path:
    """The pages as one PDF at `out` (its folder is created if needed)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with report_style(), PdfPages(out, metadata={"Creator": "golive-sim"}) as pdf:
        for fig in page_figures(pages, footer, lang):
            pdf.savefig(fig)
    return out
