"""An accessible SVG tile-grid map of the states and DC, each square coloured by a class.

Each state is one square in the widely used tile-grid layout (same grid as the pledges map);
every square has a <title> and the page shows the same data as a table. Territories are not
drawn on the grid; the table lists them.
"""

from __future__ import annotations

import html

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from peacekit.core.models import US_STATES
from peacekit.research.models import TermClass

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
# Colour-blind-safe fills with dark text contrast; the pattern letter repeats the class.
CLASS_STYLE: dict[str, tuple[str, str, str]] = {
    TermClass.DEFINED: ("#1a4480", "#ffffff", "D"),
    TermClass.GENERAL: ("#73b3e7", "#1b1b1b", "G"),
    TermClass.LIMITED: ("#e5a000", "#1b1b1b", "L"),
    TermClass.NOT_USED: ("#a9aeb1", "#1b1b1b", "N"),
    "": ("#f0f0f0", "#1b1b1b", "–"),
}


def legend() -> list[dict]:
    """The classes with their colours and letters, plus "not reviewed"."""
    items = [
        {"class": value, "label": label, "fill": CLASS_STYLE[value][0],
         "letter": CLASS_STYLE[value][2]}
        for value, label in TermClass.choices
    ]  # fmt: skip
    fill, _text, letter = CLASS_STYLE[""]
    items.append({"class": "", "label": _("Not reviewed or not imported"), "fill": fill,
                  "letter": letter})  # fmt: skip
    return items


def class_tile_map(classes: dict[str, str], *, title: str) -> SafeString:
    """The SVG: one square per state, filled by its reviewed class (blank when none)."""
    names = dict(US_STATES)
    labels = dict(TermClass.choices)
    tiles = []
    for code, (row, column) in TILE_GRID.items():
        value = classes.get(code, "")
        fill, ink, letter = CLASS_STYLE.get(value, CLASS_STYLE[""])
        label = f"{names[code]}: {labels.get(value, _('not reviewed'))}"
        x, y = column * (TILE + GAP), row * (TILE + GAP)
        tiles.append(
            f'<g class="pk-rtile"><title>{html.escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{fill}" '
            f'stroke="#565c65" stroke-width="1"></rect>'
            f'<text x="{x + TILE / 2}" y="{y + 19}" text-anchor="middle" font-size="13" '
            f'font-weight="bold" fill="{ink}">{code}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 36}" text-anchor="middle" font-size="11" '
            f'fill="{ink}">{letter}</text></g>'
        )
    width, height = 11 * (TILE + GAP) - GAP, 8 * (TILE + GAP) - GAP
    desc = _(
        "Each square is a state or DC, coloured by its reviewed class; the letter repeats the "
        "class (D defined, G general, L limited, N not used, dash not reviewed). The same data "
        "is in the table below the map."
    )
    return mark_safe(  # noqa: S308 - every interpolated text is escaped above
        f'<svg class="pk-rmap" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="pk-rmap-title pk-rmap-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="pk-rmap-title">{html.escape(title)}</title>'
        f'<desc id="pk-rmap-desc">{html.escape(desc)}</desc>{"".join(tiles)}</svg>'
    )
