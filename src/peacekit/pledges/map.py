"""A tile-grid map of the 50 states and DC, shaded by a count: no map files, no script.

Each state is one square in the widely used tile-grid layout; each square links to the
registry filtered by that state and carries a <title> and an aria-label for screen readers.
The page also shows the same numbers as a table.
"""

from __future__ import annotations

import html
import math

from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peacekit.core.models import US_STATES

# (row, column) of each state in an 8 × 11 grid.
TILE_GRID: dict[str, tuple[int, int]] = {
    "AK": (0, 0), "ME": (0, 10),
    "WI": (1, 5), "VT": (1, 9), "NH": (1, 10),
    "WA": (2, 0), "ID": (2, 1), "MT": (2, 2), "ND": (2, 3), "MN": (2, 4), "IL": (2, 5),
    "MI": (2, 6), "NY": (2, 8), "MA": (2, 9),
    "OR": (3, 0), "NV": (3, 1), "WY": (3, 2), "SD": (3, 3), "IA": (3, 4), "IN": (3, 5),
    "OH": (3, 6), "PA": (3, 7), "NJ": (3, 8), "CT": (3, 9), "RI": (3, 10),
    "CA": (4, 0), "UT": (4, 1), "CO": (4, 2), "NE": (4, 3), "MO": (4, 4), "KY": (4, 5),
    "WV": (4, 6), "VA": (4, 7), "MD": (4, 8), "DE": (4, 9),
    "AZ": (5, 1), "NM": (5, 2), "KS": (5, 3), "AR": (5, 4), "TN": (5, 5), "NC": (5, 6),
    "SC": (5, 7), "DC": (5, 8),
    "OK": (6, 3), "LA": (6, 4), "MS": (6, 5), "AL": (6, 6), "GA": (6, 7),
    "HI": (7, 0), "TX": (7, 3), "FL": (7, 8),
}  # fmt: skip

TILE = 44
GAP = 4
LEVELS = 5  # level 0 is "none"; 1–4 split the range 1..max


def shade_level(count: int, maximum: int) -> int:
    """0 for none, else 1–4 by where the count falls between 1 and the largest count."""
    if count <= 0 or maximum <= 0:
        return 0
    return max(1, min(LEVELS - 1, math.ceil(count * (LEVELS - 1) / maximum)))


def legend(maximum: int) -> list[dict]:
    """The shade levels with the range of counts each stands for."""
    items = [{"level": 0, "label": _("none")}]
    if maximum <= 0:
        return items
    ranges: dict[int, list[int]] = {}
    for count in range(1, maximum + 1):
        ranges.setdefault(shade_level(count, maximum), []).append(count)
    for level, counts in sorted(ranges.items()):
        low, high = counts[0], counts[-1]
        items.append({"level": level, "label": str(low) if low == high else f"{low}–{high}"})
    return items


def tile_map(counts: dict[str, int], *, selected: str = "") -> dict:
    """The SVG map, its legend and the table rows for the same counts."""
    names = dict(US_STATES)
    maximum = max((counts.get(code, 0) for code in TILE_GRID), default=0)
    base = reverse("pledges:registry")
    tiles = []
    for code, (row, column) in TILE_GRID.items():
        count = counts.get(code, 0)
        level = shade_level(count, maximum)
        label = ngettext(
            "%(state)s: %(count)d organization made the Promise",
            "%(state)s: %(count)d organizations made the Promise",
            count,
        ) % {"state": names[code], "count": count}
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        classes = f"pk-tile pk-tile--{level}" + (" pk-tile--selected" if code == selected else "")
        tiles.append(
            f'<a href="{base}?state={code}" aria-label="{html.escape(label)}">'
            f'<g class="{classes}"><title>{html.escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3"></rect>'
            f'<text x="{x + TILE / 2}" y="{y + 19}" text-anchor="middle" class="pk-tile__code">'
            f"{code}</text>"
            f'<text x="{x + TILE / 2}" y="{y + 35}" text-anchor="middle" class="pk-tile__count">'
            f"{count}</text></g></a>"
        )
    width, height = 11 * (TILE + GAP) - GAP, 8 * (TILE + GAP) - GAP
    title = _("Map of the United States: organizations that made the Promise, by state")
    desc = _(
        "Each square is a state; darker squares have more organizations. Select a state "
        "to list its organizations. The same numbers are in the table below the map."
    )
    svg = (
        f'<svg class="pk-tilemap" viewBox="0 0 {width} {height}" role="group" '
        f'aria-labelledby="pk-map-title pk-map-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="pk-map-title">{html.escape(title)}</title>'
        f'<desc id="pk-map-desc">{html.escape(desc)}</desc>{"".join(tiles)}</svg>'
    )
    rows = [
        {"code": code, "name": names[code], "count": counts.get(code, 0)}
        for code in sorted(TILE_GRID, key=lambda c: names[c])
    ]
    return {
        "svg": mark_safe(svg),  # noqa: S308 - every interpolated text is escaped above
        "legend": legend(maximum),
        "rows": rows,
        "max": maximum,
    }
