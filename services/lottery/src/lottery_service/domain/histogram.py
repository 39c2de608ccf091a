"""The weight-distribution histogram of a dry run: as data, and as an SVG picture an operator opens."""

from dataclasses import dataclass
from html import escape

import numpy as np


@dataclass(frozen=True)
class Histogram:
    edges: list[float]
    counts: list[int]


def weight_histogram(weights: np.ndarray, bins: int = 20) -> Histogram:
    if len(weights) == 0:
        return Histogram(edges=[], counts=[])
    counts, edges = np.histogram(weights, bins=bins)
    return Histogram(edges=[float(e) for e in edges], counts=[int(c) for c in counts])


def histogram_svg(histogram: Histogram, title: str, width: int = 640, height: int = 320) -> str:
    margin, top = 50, 30
    plot_w, plot_h = width - 2 * margin, height - top - margin
    peak = max(histogram.counts, default=0) or 1
    bar_w = plot_w / max(len(histogram.counts), 1)
    bars = []
    for i, count in enumerate(histogram.counts):
        h = plot_h * count / peak
        x, y = margin + i * bar_w, top + plot_h - h
        bars.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" fill="#4a7bd0">'
                    f"<title>{histogram.edges[i]:.3g}–{histogram.edges[i + 1]:.3g}: {count}</title></rect>")
    axis = [f'<line x1="{margin}" y1="{top + plot_h}" x2="{margin + plot_w}" y2="{top + plot_h}" stroke="#333"/>',
            f'<line x1="{margin}" y1="{top}" x2="{margin}" y2="{top + plot_h}" stroke="#333"/>',
            f'<text x="{margin - 6}" y="{top + 4}" text-anchor="end" font-size="11">{peak}</text>',
            f'<text x="{margin - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>']
    if histogram.edges:
        axis += [f'<text x="{margin}" y="{top + plot_h + 16}" font-size="11">{histogram.edges[0]:.3g}</text>',
                 f'<text x="{margin + plot_w}" y="{top + plot_h + 16}" text-anchor="end" font-size="11">'
                 f"{histogram.edges[-1]:.3g}</text>"]
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif"><text x="{margin}" y="18" font-size="14">{escape(title)}</text>'
            f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle" font-size="12">weight (capped)</text>'
            + "".join(axis) + "".join(bars) + "</svg>")
