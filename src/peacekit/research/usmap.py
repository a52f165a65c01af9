"""An accessible SVG tile-grid map of the states and DC, each square coloured by a class.

Each state is one square in the widely used tile-grid layout (same grid as the pledges map);
every square has a <title> and the page shows the same data as a table. Territories are not
drawn on the grid; the table lists them.
"""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from peacekit.core.models import US_STATES
from peacekit.reports.tilemap import TILE_GRID, Tile, render_tile_map
from peacekit.research.models import TermClass

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
    for code in TILE_GRID:
        value = classes.get(code, "")
        fill, ink, letter = CLASS_STYLE.get(value, CLASS_STYLE[""])
        label = f"{names[code]}: {labels.get(value, _('not reviewed'))}"
        tiles.append(
            Tile(
                code=code, label=label, second_line=letter, css_class="pk-rtile", fill=fill, ink=ink
            )
        )
    desc = _(
        "Each square is a state or DC, coloured by its reviewed class; the letter repeats the "
        "class (D defined, G general, L limited, N not used, dash not reviewed). The same data "
        "is in the table below the map."
    )
    return render_tile_map(tiles, title=title, desc=desc, css_class="pk-rmap", map_id="pk-rmap")
