"""Demo data for research: a tiny, clearly labelled FICTIONAL statute collection.

No real statute text is shipped. Each section below was written for this demo ("Demo State
Code") and is attached to a jurisdiction code only so the review page, the findings and the
map have something to show; every page of a fictional collection says so.
"""

from __future__ import annotations

import csv
import io

from peacekit.research import services
from peacekit.research.models import JurisdictionClassification
from peacekit.research.parsing import read_uploads

# Written for the demo; phrasing patterns only, not quotations of any statute.
FICTIONAL_TEXTS = {
    "defined": (
        "Demo 1-101",
        "Definitions",
        'As used in this Demo State Code, "peace officer" means a sheriff, a deputy sheriff, '
        "or a police officer of a city or town. Any peace officer may arrest without a warrant "
        "a person found committing a crime.",
    ),
    "following": (
        "Demo 2-200",
        "Peace officers",
        "The following persons are peace officers: (a) members of a municipal police "
        "department; (b) sheriffs and their deputies; (c) game wardens of the demo "
        "wildlife agency.",
    ),
    "general": (
        "Demo 3-310",
        "Service of warrants",
        "A sheriff, police officer, or other peace officer may serve a warrant issued under "
        "this chapter. A peace officer, including a deputy sheriff, may enter the premises.",
    ),
    "limited": (
        "Demo 4-410",
        "Wildlife enforcement",
        "The following persons are peace officers for the purposes of this title: game "
        "wardens, park rangers, and correctional officers of the demo department.",
    ),
    "other_than": (
        "Demo 5-520",
        "Badges",
        "Peace officers other than police officers shall carry a badge issued by the board. "
        "A conservation officer is a peace officer while enforcing the demo wildlife code.",
    ),
    "cross": (
        "Demo 6-600",
        "Arrest",
        "A peace officer, as defined in Demo 1-101, may arrest a person without a warrant.",
    ),
    "not_used": (
        "Demo 7-700",
        "Law enforcement officers",
        '"Law enforcement officer" means a sworn officer of a police department or sheriff\'s '
        "office. A law enforcement officer may stop a vehicle.",
    ),
}

# Jurisdiction code → fictional text key. Codes only place the fictional texts on the map.
ASSIGNMENTS = {
    "CA": "defined", "TX": "following", "NY": "general", "KY": "defined", "OH": "general",
    "MN": "limited", "PA": "other_than", "FL": "cross", "IL": "not_used", "CO": "following",
    "GA": "general", "WA": "defined", "VA": "not_used", "AZ": "limited",
}  # fmt: skip

# Reviewer decisions: confirm most, correct one, leave a few awaiting review.
CORRECTIONS = {"FL": "general"}  # the referenced definition was not imported
LEAVE_PENDING = {"VA", "AZ"}


def _csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["jurisdiction", "citation", "heading", "text"])
    for code, key in ASSIGNMENTS.items():
        citation, heading, text = FICTIONAL_TEXTS[key]
        writer.writerow([code, citation, heading, text])
    return out.getvalue().encode()


def load(context, progress=None) -> None:
    """Create the fictional collection for the program, import it, and review most of it."""
    organization = context.organizations["program"]
    reviewer = context.users.get("program_admin")
    corpus = services.corpus_create(
        actor=reviewer,
        organization=organization,
        name="Fictional demo collection (not real statutes)",
        source_note=(
            "Written for the peacekit demo; every section is fictional 'Demo State Code' text "
            "placed on a state only to show the pages. Not public law; do not cite."
        ),
        is_fictional=True,
    )
    parsed = read_uploads([("demo-sections.csv", _csv())])
    services.import_run_create(actor=reviewer, corpus=corpus, parsed=parsed)
    for classification in JurisdictionClassification.objects.filter(corpus=corpus).select_related(
        "jurisdiction"
    ):
        code = classification.jurisdiction.code
        if code in LEAVE_PENDING:
            continue
        services.classification_review(
            actor=reviewer,
            classification=classification,
            final_class=CORRECTIONS.get(code, classification.proposed_class),
            note="Demo: referenced definition not imported." if code in CORRECTIONS else "",
        )
