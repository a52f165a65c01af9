"""SVG charts rendered on the server: the same markup on the web page and in the PDF.

Each chart is accessible: role="img", a <title> and <desc>, and callers also show the data as a
table (or a `<details>` with one). Text uses the pinned Public Sans font that the report CSS
loads from the vendored USWDS fonts, so the PDF and the page match.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#005ea2", "#e5a000", "#00a91c", "#b50909", "#8168b3", "#1a4480", "#71767a")


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a value (None when suppressed) and an optional display text."""

    label: str
    value: float | None
    text: str | None = None
    tone: str = ""  # "", "alt" or "warn"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: int, height: int, title: str, desc: str, body: str) -> SafeString:
    # Ids unique per chart (and stable for the same chart, so report versions compare cleanly).
    digest = hashlib.sha1(f"{title}|{desc}|{body}".encode(), usedforsecurity=False)
    uid = "c" + digest.hexdigest()[:10]
    return mark_safe(  # noqa: S308 - every interpolated value is escaped above
        f'<svg class="pk-chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg" '
        f'aria-labelledby="{uid}-t {uid}-d">'
        f'<title id="{uid}-t">{_e(title)}</title><desc id="{uid}-d">{_e(desc)}</desc>{body}</svg>'
    )


def hbar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    max_value: float | None = None,
    width: int = 640,
    label_width: int = 200,
    unit: str = "",
) -> SafeString:
    """Horizontal bars, one per row; suppressed values show an em dash instead of a bar."""
    row, top = 26, 8
    height = top * 2 + row * max(len(bars), 1)
    values = [b.value for b in bars if b.value is not None]
    scale_max = max_value or (max(values) if values else 1) or 1
    plot = width - label_width - 70
    parts = []
    for i, bar in enumerate(bars):
        y = top + i * row
        label = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 17}" text-anchor="end" font-size="13">'
            f"{_e(label)}</text>"
        )
        if bar.value is None:
            parts.append(f'<text x="{label_width + 4}" y="{y + 17}" font-size="13">—</text>')
            continue
        w = max(1.0, plot * float(bar.value) / scale_max)
        cls = f"pk-bar pk-bar--{bar.tone}" if bar.tone else "pk-bar"
        fill = {"alt": PALETTE[1], "warn": PALETTE[3]}.get(bar.tone, PALETTE[0])
        parts.append(
            f'<rect class="{cls}" x="{label_width}" y="{y + 4}" width="{w:.1f}" height="{row - 8}"'
            f' fill="{fill}"></rect>'
        )
        text = bar.text if bar.text is not None else f"{bar.value:g}{unit}"
        parts.append(
            f'<text x="{label_width + w + 6:.1f}" y="{y + 17}" font-size="13">{_e(text)}</text>'
        )
    desc = "; ".join(
        f"{b.label}: {'suppressed' if b.value is None else (b.text or f'{b.value:g}{unit}')}"
        for b in bars
    )
    return _svg(width, height, title, desc, "".join(parts))


def line_chart(
    series: dict[str, Sequence[tuple[str, float | None]]],
    *,
    title: str,
    y_min: float = 0,
    y_max: float = 100,
    width: int = 640,
    height: int = 260,
) -> SafeString:
    """One or more lines over shared x labels (e.g. months); gaps where a value is None."""
    left, right, top, bottom = 44, 120, 12, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    labels: list[str] = []
    for points in series.values():
        for x, _y in points:
            if x not in labels:
                labels.append(x)
    n = max(len(labels), 2)

    def px(i: int) -> float:
        return left + plot_w * i / (n - 1)

    def py(v: float) -> float:
        return top + plot_h * (1 - (v - y_min) / ((y_max - y_min) or 1))

    parts = []
    for tick in range(5):
        v = y_min + (y_max - y_min) * tick / 4
        y = py(v)
        parts.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dfe1e2"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{v:g}</text>'
        )
    step = max(1, len(labels) // 8)
    for i, label in enumerate(labels):
        if i % step == 0:
            parts.append(
                f'<text x="{px(i):.1f}" y="{height - 12}" text-anchor="middle" font-size="11">'
                f"{_e(label)}</text>"
            )
    for k, (name, points) in enumerate(series.items()):
        color = PALETTE[k % len(PALETTE)]
        lookup = dict(points)
        segments, current = [], []
        for i, label in enumerate(labels):
            value = lookup.get(label)
            if value is None:
                if current:
                    segments.append(current)
                current = []
            else:
                current.append(f"{px(i):.1f},{py(value):.1f}")
        if current:
            segments.append(current)
        for seg in segments:
            parts.append(
                f'<polyline fill="none" stroke="{color}" stroke-width="2.5" '
                f'points="{" ".join(seg)}"/>'
            )
        parts.append(
            f'<text x="{left + plot_w + 8}" y="{top + 14 + 16 * k}" font-size="12" '
            f'fill="{color}">{_e(name)}</text>'
        )
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{x} {y:g}" for x, y in points if y is not None)
        for name, points in series.items()
    )
    return _svg(width, height, title, desc[:2000], "".join(parts))


def stacked_bar(
    parts_by_label: Sequence[tuple[str, float]],
    *,
    title: str,
    width: int = 640,
    colors: Sequence[str] | None = None,
) -> SafeString:
    """One horizontal bar split into shares (e.g. sentiment), with a legend underneath."""
    total = sum(v for _l, v in parts_by_label) or 1
    x, out = 0.0, []
    for k, (label, value) in enumerate(parts_by_label):
        w = width * value / total
        color = colors[k % len(colors)] if colors else PALETTE[k % len(PALETTE)]
        out.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="24" fill="{color}"/>')
        out.append(
            f'<rect x="{k * 150}" y="34" width="12" height="12" fill="{color}"/>'
            f'<text x="{k * 150 + 16}" y="45" font-size="12">{_e(label)} '
            f"{100 * value / total:.0f}%</text>"
        )
        x += w
    desc = ", ".join(f"{label} {100 * v / total:.0f}%" for label, v in parts_by_label)
    return _svg(width, 56, title, desc, "".join(out))


def scatter_chart(
    groups: Sequence[tuple[str, Sequence[Sequence[float]]]],
    *,
    title: str,
    others: Sequence[Sequence[float]] = (),
    width: int = 640,
    height: int = 360,
    max_points: int = 1500,
    counts: Sequence[str] | None = None,
) -> SafeString:
    """2-D points coloured by group (e.g. the participant opinion map), with a legend.

    `others` are drawn in grey (participants not placed in a group). At most `max_points` per
    group are drawn (evenly thinned) so a large map stays light.
    """
    left, right, top, bottom = 12, 150, 12, 12
    plot_w, plot_h = width - left - right, height - top - bottom
    counts = list(counts) if counts is not None else [str(len(p)) for _n, p in groups]
    every = [p for _n, pts in groups for p in pts] + list(others)
    xs = [float(p[0]) for p in every] or [0.0, 1.0]
    ys = [float(p[1]) for p in every] or [0.0, 1.0]
    pad_x, pad_y = 0.05 * ((max(xs) - min(xs)) or 1.0), 0.05 * ((max(ys) - min(ys)) or 1.0)
    x0, x1 = min(xs) - pad_x, max(xs) + pad_x
    y0, y1 = min(ys) - pad_y, max(ys) + pad_y
    sx = (x1 - x0) or 1.0
    sy = (y1 - y0) or 1.0

    def pt(p: Sequence[float]) -> tuple[float, float]:
        return (
            left + plot_w * (float(p[0]) - x0) / sx,
            top + plot_h * (1 - (float(p[1]) - y0) / sy),
        )

    def thin(points: Sequence[Sequence[float]]) -> Sequence[Sequence[float]]:
        if len(points) <= max_points:
            return points
        step = len(points) / max_points
        return [points[int(i * step)] for i in range(max_points)]

    parts = [
        f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#f9f9f9" '
        'stroke="#dfe1e2"/>'
    ]
    for p in thin(others):
        x, y = pt(p)
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#a9aeb1"/>')
    for k, (_name, points) in enumerate(groups):
        color = PALETTE[k % len(PALETTE)]
        for p in thin(points):
            x, y = pt(p)
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}" fill-opacity="0.75"/>'
            )
    for k, (name, _points) in enumerate(groups):
        color = PALETTE[k % len(PALETTE)]
        y = top + 14 + 18 * k
        parts.append(
            f'<circle cx="{left + plot_w + 16}" cy="{y - 4}" r="5" fill="{color}"/>'
            f'<text x="{left + plot_w + 26}" y="{y}" font-size="12">{_e(name)} '
            f"({_e(counts[k])})</text>"
        )
    desc = "; ".join(f"{name}: {counts[k]} participants" for k, (name, _p) in enumerate(groups))
    if others:
        desc += f"; not grouped: {len(others)}"
    return _svg(width, height, title, desc, "".join(parts))
