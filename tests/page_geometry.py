"""Where the words and the days of a report page lie, measured by matplotlib's own renderer.

`text_boxes` gives the extent on the page of every visible piece of text (as drawn: clipped texts
are cut to their clip box); `overlaps` and `outside` find the ones that run into each other or
off the page.
"""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

TOLERANCE_PIXELS = 0.5
"""Boxes that only touch (sharing an edge up to a rounding pixel) do not overlap."""


def text_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Each visible, non-empty text the figure draws, with its extent in display pixels."""
    FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # lays out every text (tick labels included), draws no pixels
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = []
    for text in _drawn_texts(fig):
        if not text.get_visible() or not text.get_text().strip():
            continue
        box = text.get_window_extent(renderer)
        clip = text.get_clip_box() if text.get_clip_on() else None
        if clip is not None:
            box = Bbox.intersection(box, clip)
            if box is None:
                continue
        boxes.append((text.get_text(), box))
    return boxes


def _drawn_texts(fig: Figure) -> list[Text]:
    """The figure's texts, with only the tick labels of ticks inside their axis's view (the
    others are kept by matplotlib but not drawn)."""
    ticks = {id(label): label for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
             for tick in axis.get_major_ticks() + axis.get_minor_ticks()
             for label in (tick.label1, tick.label2)}
    drawn = {id(label) for ax in fig.axes if ax.get_visible() and ax.axison
             for axis in (ax.xaxis, ax.yaxis)
             for tick in axis._update_ticks()  # the ticks matplotlib draws
             for label in (tick.label1, tick.label2)}
    return [t for t in fig.findobj(Text) if id(t) not in ticks or id(t) in drawn]


def overlaps(boxes: list[tuple[str, Bbox]]) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than the tolerance."""
    if not boxes:
        return []
    edges = np.array([box.extents for _, box in boxes])  # x0, y0, x1, y1
    x0, y0, x1, y1 = (edges[:, i:i + 1] for i in range(4))
    apart = ((x1 - TOLERANCE_PIXELS <= x0.T + TOLERANCE_PIXELS)
             | (x1.T - TOLERANCE_PIXELS <= x0 + TOLERANCE_PIXELS)
             | (y1 - TOLERANCE_PIXELS <= y0.T + TOLERANCE_PIXELS)
             | (y1.T - TOLERANCE_PIXELS <= y0 + TOLERANCE_PIXELS))
    first, second = np.nonzero(np.triu(~apart, k=1))
    return [(boxes[i][0], boxes[j][0]) for i, j in zip(first, second, strict=True)]


def outside(fig: Figure, boxes: list[tuple[str, Bbox]]) -> list[str]:
    """Texts that leave the page."""
    page = fig.bbox.padded(TOLERANCE_PIXELS)
    return [text for text, box in boxes if not (page.contains(box.x0, box.y0)
                                                and page.contains(box.x1, box.y1))]
