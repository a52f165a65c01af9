"""Default wording shipped with peacekit (written for peacekit; program staff replace it freely).

Used by the data migration that seeds the Promise template, the checklist template and the
toolkit templates, and by tests. Placeholders: {agency}, {city}, {state}, {promise},
{event_date}.
"""

PROMISE_TITLE = "Peace Officer Promise (peacekit default wording)"
PROMISE_BODY = (
    "We, the members of {agency}, make this promise to the people we serve: while we do our "
    "best to control crime, we will do everything in our power to do no harm to the "
    "communities we serve and protect."
)

CHECKLIST_STEPS = [
    (
        "Organizational audit",
        "Review how the agency works today against the Promise: values, practices, data.",
    ),
    (
        "Community listening sessions",
        "Hold listening sessions with the communities the agency serves, especially those "
        "with the least trust in police.",
    ),
    (
        "Community advisory body",
        "Create or renew a community advisory body that meets regularly with agency leaders.",
    ),
    ("Policy review: recruiting", "Check that recruiting reaches and values peacekeepers."),
    ("Policy review: hiring", "Check hiring criteria and interviews against the Promise."),
    ("Policy review: promotions", "Make peacekeeping part of what earns a promotion."),
    ("Policy review: rewards and recognition", "Recognize de-escalation and problem solving."),
    ("Policy review: discipline", "Make discipline consistent with doing no harm."),
    ("Policy review: training", "Add peacekeeping, de-escalation and harm reduction training."),
    ("Policy review: use of force", "Review the use-of-force policy against the Promise."),
    (
        "Honest progress reporting",
        "Report to the community, on a schedule, where the agency stands and what has changed.",
    ),
]

TOOLKIT = {
    "press_release": (
        "Press release: {agency} makes the Peace Officer Promise",
        "# {agency} makes the Peace Officer Promise\n\n"
        "FOR IMMEDIATE RELEASE — {city}, {state}\n\n"
        "{agency} will publicly make the Peace Officer Promise on {event_date}, joining "
        "agencies across the country that reaffirm their commitment to the communities they "
        "serve.\n\n"
        "The Promise reads: \u201c{promise}\u201d\n\n"
        "The Promise is a public commitment to keep the peace: to control crime while doing "
        "everything possible to do no harm. Over the coming months the agency will work "
        "through an implementation checklist that includes an organizational audit, "
        "community listening sessions and a review of its policies.\n\n"
        "# Contact\n\n"
        "Media inquiries: the public information office of {agency}.",
    ),
    "social_media_plan": (
        "Social media plan for the Peace Officer Promise",
        "# Social media plan — {agency}\n\n"
        "# Two weeks before\n\n"
        "- Announce the date: {agency} will make the Peace Officer Promise on {event_date}.\n"
        "- Invite residents, faith leaders, schools and neighborhood groups to attend.\n\n"
        "# The week of the event\n\n"
        "- Share the text of the Promise: \u201c{promise}\u201d\n"
        "- Post short videos of officers saying what keeping the peace means to them.\n\n"
        "# The day of the event\n\n"
        "- Post photos and a live stream of the Promise being made.\n\n"
        "# Afterwards\n\n"
        "- Share progress on the implementation checklist every quarter, honestly.",
    ),
    "presentation": (
        "Announcement presentation outline",
        "# Announcing the Peace Officer Promise — {agency}\n\n"
        "- Welcome and purpose of the event\n"
        "- What it means to be a peace officer in {city}\n"
        "- The Promise: \u201c{promise}\u201d\n"
        "- What changes inside the agency: audit, listening sessions, advisory body, policy "
        "review\n"
        "- How residents can take part and hold us to the Promise\n"
        "- Questions and conversation",
    ),
    "proclamation": (
        "Proclamation",
        "# Proclamation\n\n"
        "WHEREAS the officers of {agency} serve and protect the people of {city}, {state}; "
        "and\n\n"
        "WHEREAS keeping the peace involves far more than controlling crime; and\n\n"
        "WHEREAS public trust grows when police acknowledge the possibility of harm and "
        "commit to reducing it;\n\n"
        "NOW, THEREFORE, {agency} proclaims on {event_date} its Peace Officer Promise: "
        "\u201c{promise}\u201d",
    ),
    "community_letter": (
        "Letter to the community",
        "# A letter to the community from {agency}\n\n"
        "Dear neighbors,\n\n"
        "On {event_date}, the members of {agency} will make a public promise to you: "
        "\u201c{promise}\u201d\n\n"
        "A promise means little without action. In the months ahead we will listen to you in "
        "community sessions, review our policies on hiring, training, discipline and the use "
        "of force, and report our progress to you honestly.\n\n"
        "We invite you to join us, to tell us how we are doing, and to hold us to our word.\n\n"
        "Sincerely,\n\n"
        "{agency}",
    ),
}
