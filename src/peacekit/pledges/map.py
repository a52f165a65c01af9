"""A tile-grid map of the 50 states and DC, shaded by a count: no map files, no script.

Each state is one square in the widely used tile-grid layout; each square links to the
registry filtered by that state and carries a <title> and an aria-label for screen readers.
The page also shows the same numbers as a table.
"""

from __future__ import annotations

import math

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peacekit.core.models import US_STATES
from peacekit.reports.tilemap import TILE_GRID, Tile, render_tile_map

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
    for code in TILE_GRID:
        count = counts.get(code, 0)
        level = shade_level(count, maximum)
        label = ngettext(
            "%(state)s: %(count)d organization made the Promise",
            "%(state)s: %(count)d organizations made the Promise",
            count,
        ) % {"state": names[code], "count": count}
        classes = f"pk-tile pk-tile--{level}" + (" pk-tile--selected" if code == selected else "")
        tiles.append(
            Tile(code=code, label=label, second_line=str(count), css_class=classes,
                 href=f"{base}?state={code}")
        )  # fmt: skip
    title = _("Map of the United States: organizations that made the Promise, by state")
    desc = _(
        "Each square is a state; darker squares have more organizations. Select a state "
        "to list its organizations. The same numbers are in the table below the map."
    )
    svg = render_tile_map(
        tiles, title=title, desc=desc, css_class="pk-tilemap", map_id="pk-map", role="group"
    )
    rows = [
        {"code": code, "name": names[code], "count": counts.get(code, 0)}
        for code in sorted(TILE_GRID, key=lambda c: names[c])
    ]
    return {
        "svg": svg,
        "legend": legend(maximum),
        "rows": rows,
        "max": maximum,
    }
