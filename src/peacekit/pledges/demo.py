"""Demo data for the Peace Officer Promise, made through the same services users go through.

Metro City PD signs on with its own email domain (verified at once); Riverside County SO is
verified by program staff; about 25 clearly marked demo agencies across the states give the
registry map its shading; one sign-on waits in the staff queue.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from peacekit.core.services import organization_update
from peacekit.pledges import services
from peacekit.pledges.models import ChecklistItem

# (name, kind, state, city, promise date) — invented agencies, flagged as demo data.
DEMO_AGENCIES = [
    ("Cedar Falls Police Department", "police", "IA", "Cedar Falls", "2023-05-15"),
    ("Maple Grove Police Department", "police", "MN", "Maple Grove", "2023-05-16"),
    ("Harlan County Sheriff's Office", "sheriff", "KY", "Harlan", "2023-06-02"),
    ("Pine Bluff Police Department", "police", "AR", "Pine Bluff", "2024-05-14"),
    ("Lakewood Police Department", "police", "OH", "Lakewood", "2024-05-15"),
    ("Dayton Heights Police Department", "police", "OH", "Dayton Heights", "2024-05-16"),
    ("Sandusky Bay Police Department", "police", "OH", "Sandusky", "2025-05-13"),
    ("Mesa Verde Police Department", "police", "CO", "Cortez", "2024-09-10"),
    ("El Paso Valley Sheriff's Office", "sheriff", "TX", "El Paso", "2024-05-14"),
    ("Brazos Police Department", "police", "TX", "Bryan", "2025-05-15"),
    ("Gulf Coast Police Department", "police", "TX", "Galveston", "2025-05-16"),
    ("Tallahassee Hills Police Department", "police", "FL", "Tallahassee", "2023-05-17"),
    ("Savannah River Police Department", "police", "GA", "Savannah", "2024-05-13"),
    ("Asheville Ridge Police Department", "police", "NC", "Asheville", "2025-05-14"),
    ("Portland Harbor Police Department", "police", "ME", "Portland", "2024-08-20"),
    ("Burlington Lake Police Department", "police", "VT", "Burlington", "2025-05-12"),
    ("Camden Bay Police Department", "police", "NJ", "Camden", "2023-05-18"),
    ("Albany Pines Police Department", "police", "NY", "Albany", "2024-05-15"),
    ("Rochester Falls Police Department", "police", "NY", "Rochester", "2025-05-15"),
    ("Tacoma Sound Police Department", "police", "WA", "Tacoma", "2024-05-16"),
    ("Boise Foothills Police Department", "police", "ID", "Boise", "2025-05-13"),
    ("Fresno Valley Police Department", "police", "CA", "Fresno", "2023-05-16"),
    ("Oakland Hills Neighbors for Peace", "community", "CA", "Oakland", "2024-05-17"),
    ("Tucson Desert Police Department", "police", "AZ", "Tucson", "2025-05-14"),
    ("Capitol Hill Community Council", "community", "DC", "Washington", "2024-05-15"),
    ("Bowling Green Neighbors Alliance", "community", "KY", "Bowling Green", "2025-05-15"),
]


@transaction.atomic
def load(context, progress=None) -> None:
    """Create the demo promises, a checklist in progress, an order and a documentary."""
    program_user = context.users.get("program_admin")
    chief = context.users.get("agency_admin")
    metro = context.organizations["metro_pd"]
    riverside = context.organizations["riverside_so"]

    # Metro City PD: the chief signs on from the agency's own domain, so it is verified at once.
    organization_update(
        actor=program_user, organization=metro, email_domain="metro-pd.demo.peacekit.org"
    )
    metro_promise, _ = services.promise_sign_on(
        organization_name=metro.name, kind="police", state=metro.state, city=metro.city,
        contact_name="Chief Dana Rivera", contact_title="Chief of Police",
        contact_email="chief@metro-pd.demo.peacekit.org", submission_key="demo-metro-pd",
    )  # fmt: skip
    event = services.promise_event_schedule(
        actor=chief, promise=metro_promise, kind="national", date=datetime.date(2026, 5, 14),
        location="Fountain Square Park, Bowling Green",
    )  # fmt: skip
    services.promise_event_set_status(actor=chief, event=event, status="held")

    # Riverside County SO: signed on from a personal address, verified by program staff.
    riverside_promise, _ = services.promise_sign_on(
        organization_name=riverside.name, kind="sheriff", state="CA", city="Riverside",
        contact_name="Sheriff Sam Ortiz", contact_email="sam.ortiz@example.org",
        submission_key="demo-riverside-so",
    )  # fmt: skip
    riverside_promise = services.promise_verify(
        actor=program_user, promise=riverside_promise, organization=riverside
    )
    services.promise_event_schedule(
        actor=program_user, promise=riverside_promise, kind="local",
        date=datetime.date(2026, 12, 10), location="Riverside County Administrative Center",
    )  # fmt: skip

    for n, (name, kind, state, city, day) in enumerate(DEMO_AGENCIES):
        promise, _ = services.promise_sign_on(
            organization_name=f"{name} (demo)", kind=kind, state=state, city=city,
            contact_name="Demo Contact", contact_email=f"contact{n}@example.org",
            submission_key=f"demo-agency-{n}", is_demo=True,
        )  # fmt: skip
        promise = services.promise_verify(actor=program_user, promise=promise, notify=False)
        held = services.promise_event_schedule(
            actor=program_user, promise=promise,
            kind="national" if day[5:7] == "05" else "local",
            date=datetime.date.fromisoformat(day), location=f"{city} City Hall",
        )  # fmt: skip
        services.promise_event_set_status(actor=program_user, event=held, status="held")

    services.promise_sign_on(
        organization_name="Harbor City Police Department (demo)", kind="police", state="MD",
        city="Harbor City", contact_name="Lt. Jordan Reyes", contact_title="Lieutenant",
        contact_email="jreyes@example.org", ori_code="MD0999900", submission_key="demo-pending",
        is_demo=True,
    )  # fmt: skip

    _metro_checklist(metro, chief, context)
    services.symbol_order_create(
        actor=chief, organization=metro,
        quantities={"vehicle_decal": 48, "uniform_patch": 180, "equipment_sticker": 60},
        submission_key="demo-order-metro", ship_to_name="Metro City Police Department",
        address_line1="911 Peace Way", city="Bowling Green", state="KY", postal_code="42101",
    )  # fmt: skip
    services.documentary_request_create(
        actor=chief, organization=metro, title="Metro City keeps its Promise", length_minutes=4,
        contact_email="chief@metro-pd.demo.peacekit.org",
        notes="The Promise event in Fountain Square, the youth league and a night on patrol.",
    )  # fmt: skip
    for n, (kind, name, city) in enumerate(
        [
            ("host_event", "Rosa Delgado", "Bowling Green"),
            ("relations_group", "Marcus Hill", "Louisville"),
            ("mediation", "Ana Whitfield", "Riverside"),
        ]
    ):
        services.involvement_submit(
            kind=kind, name=name, email=f"neighbor{n}@example.org",
            state="CA" if city == "Riverside" else "KY", city=city,
            submission_key=f"demo-involvement-{n}",
        )  # fmt: skip


def _metro_checklist(metro, chief, context) -> None:
    checklist = services.checklist_ensure(actor=chief, organization=metro)
    facilitator = context.users.get("facilitator")
    analyst = context.users.get("analyst")
    plan = [
        (ChecklistItem.Status.DONE, chief, "2026-03-31"),
        (ChecklistItem.Status.DONE, facilitator, "2026-04-30"),
        (ChecklistItem.Status.IN_PROGRESS, chief, "2026-09-30"),
        (ChecklistItem.Status.DONE, analyst, "2026-06-30"),
        (ChecklistItem.Status.IN_PROGRESS, analyst, "2026-12-15"),
        (ChecklistItem.Status.NOT_STARTED, chief, "2027-01-31"),
    ]
    items = list(checklist.items.order_by("position"))
    for item, (status, owner, due) in zip(items, plan, strict=False):
        services.checklist_item_update(
            actor=chief, item=item, title=item.title, description=item.description,
            owner=owner, due_date=datetime.date.fromisoformat(due), status=status,
        )  # fmt: skip
    services.checklist_evidence_add(
        actor=chief,
        item=items[0],
        upload=SimpleUploadedFile(
            "organizational-audit-summary.txt",
            b"Metro City PD organizational audit: summary of findings (demo file).\n",
        ),
    )
    services.checklist_item_add(
        actor=chief, checklist=checklist, title="Youth league partnership",
        description="Officers coach in the Eastside youth league each season.", owner=chief,
        due_date=datetime.date(2026, 8, 1),
    )  # fmt: skip
