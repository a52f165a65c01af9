"""The tile-grid map of the 50 states and DC: one square per state, no map files, no script.

Pages that map something by state (the Promise registry, the statute findings) describe each
square and call `render_tile_map`; every square (or its link) carries a <title>, and the
page shows the same figures in a table.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

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


@dataclass(frozen=True)
class Tile:
    """One state's square: what a screen reader says, the second line, and how it looks."""

    code: str
    label: str
    second_line: str = ""
    css_class: str = ""
    fill: str = ""
    ink: str = ""
    href: str = ""


def render_tile_map(
    tiles: list[Tile], *, title: str, desc: str, css_class: str, map_id: str, role: str = "img"
) -> SafeString:
    """The SVG for the given squares (states without a tile are not drawn)."""
    parts = []
    for tile in tiles:
        row, column = TILE_GRID[tile.code]
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        label = html.escape(tile.label)
        paint = f' fill="{tile.fill}" stroke="#565c65" stroke-width="1"' if tile.fill else ""
        ink = f' fill="{tile.ink}"' if tile.ink else ""
        title = "" if tile.href else f"<title>{label}</title>"
        group = (
            f'<g class="{tile.css_class}">{title}'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3"{paint}></rect>'
            f'<text x="{x + TILE / 2}" y="{y + 19}" text-anchor="middle" font-size="13" '
            f'font-weight="bold" class="pk-tile__code"{ink}>{tile.code}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 35}" text-anchor="middle" font-size="11" '
            f'class="pk-tile__count"{ink}>{html.escape(tile.second_line)}</text></g>'
        )
        if tile.href:
            # A link's name comes from its own <title>, which starts with the visible text.
            name = html.escape(f"{tile.code} {tile.second_line}: {tile.label}".strip())
            group = f'<a href="{html.escape(tile.href)}"><title>{name}</title>{group}</a>'
        parts.append(group)
    width, height = 11 * (TILE + GAP) - GAP, 8 * (TILE + GAP) - GAP
    return mark_safe(  # noqa: S308 - every interpolated text is escaped above
        f'<svg class="{css_class}" viewBox="0 0 {width} {height}" role="{role}" '
        f'aria-labelledby="{map_id}-title {map_id}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{map_id}-title">{html.escape(title)}</title>'
        f'<desc id="{map_id}-desc">{html.escape(desc)}</desc>{"".join(parts)}</svg>'
    )
