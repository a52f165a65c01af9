"""Demo data: a pre/post survey around a listening session, with SYNTHETIC seeded answers,
and the real Chicago Police Sentiment Scores (city and districts) as a trend dataset."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from peacekit.surveys import services
from peacekit.surveys.models import Instrument, Response, Wave

DEMO_DATA = Path(__file__).parent / "demo_data"
CHICAGO_FILE = DEMO_DATA / "chicago_police_sentiment_city_districts.csv"
NEIGHBORHOODS = [("Eastside", 0.35), ("Downtown", 0.25), ("Riverview", 0.25), ("Hillcrest", 0.15)]
AGES = [("18-24", 0.14), ("25-34", 0.2), ("35-44", 0.18), ("45-54", 0.16), ("55-64", 0.16),
        ("65+", 0.16)]  # fmt: skip
SEXES = [("female", 0.52), ("male", 0.48)]
COMMENTS = [
    "More sessions in the evening so working parents can come.",
    "Hearing officers explain their side helped.",
    "Smaller tables so everyone gets a turn.",
]


def _pick(rng: np.random.Generator, options: list[tuple[str, float]]) -> str:
    labels, shares = zip(*options, strict=True)
    return str(rng.choice(labels, p=np.array(shares) / sum(shares)))


def load(context, progress=None) -> None:
    """Create the demo survey (about 120 paired synthetic respondents) and import Chicago."""
    services.surveys_library_install(actor=None)
    metro_pd = context.organizations["metro_pd"]
    facilitator = context.users.get("facilitator")
    instruments = Instrument.objects.filter(
        organization=None, key__in=["trust-safety", "procedural-justice", "event-feedback"]
    )
    survey = services.survey_create(
        actor=facilitator,
        organization=metro_pd,
        title="Eastside listening session — before and after (SYNTHETIC DEMO DATA)",
        title_es="Sesión de escucha del Eastside — antes y después (DATOS SINTÉTICOS)",
        target_type="listening_session",
        target_label="Eastside community listening session (demo)",
        instruments=instruments,
        retrospective=True,
        is_synthetic=True,
    )
    services.margins_replace(
        actor=facilitator,
        survey=survey,
        rows=[("neighborhood", n, s, None) for n, s in NEIGHBORHOODS]
        + [("age_group", a, s, None) for a, s in AGES]
        + [("sex", x, s, None) for x, s in SEXES],
    )
    waves = {w.kind: w for w in survey.waves.all()}
    questions = {kind: services.survey_questions(survey, wave_kind=kind) for kind in waves}
    rng = np.random.default_rng(20260415)
    n_people = 132
    for person in range(n_people):
        code = f"D{person:03d}X"
        demographics = {
            "neighborhood": _pick(rng, NEIGHBORHOODS),
            "age_group": _pick(rng, AGES),
            "sex": _pick(rng, SEXES),
        }
        trust = rng.normal(4.6, 1.8)
        gain = rng.normal(0.9, 1.2)
        for kind in (Wave.Kind.PRE, Wave.Kind.POST):
            # About 1 in 11 people do not come back for the post survey (attrition).
            if kind == Wave.Kind.POST and person % 11 == 5:
                continue
            level = trust + (gain if kind == Wave.Kind.POST else 0)
            answers, retro = {}, {}
            for q in questions[kind]:
                if q.is_numeric:
                    low, high = q.scale_range
                    centre = level if high == 10 else 1 + level * 0.4
                    value = int(np.clip(round(centre + rng.normal(0, 0.9)), low, high))
                    answers[q.pk] = value
                    if kind == Wave.Kind.POST and q.instrument.kind != "feedback":
                        then = centre - (gain if high == 10 else gain * 0.4) * 1.1
                        retro[q.pk] = int(np.clip(round(then + rng.normal(0, 0.9)), low, high))
                elif q.format == "open" and kind == Wave.Kind.POST and person % 40 == 0:
                    answers[q.pk] = COMMENTS[(person // 40) % len(COMMENTS)]
            services.response_submit(
                wave=waves[kind],
                submission_key=f"demo-{survey.pk}-{kind}-{person}",
                answers=answers,
                retrospective_answers=retro,
                linking_code=code,
                demographics=demographics,
                source=Response.Source.PAPER if person % 4 == 0 else Response.Source.WEB,
                language="es" if person % 5 == 0 else "en",
                actor=facilitator,
                is_synthetic=True,
                questions=questions[kind],
            )
    services.trend_import_csv(
        actor=context.users.get("analyst"),
        organization=metro_pd,
        name="Chicago Police Sentiment Scores (city and districts)",
        source="City of Chicago Data Portal, Police Sentiment Scores (via caromeyyer/data "
        "a1a48d3); City of Chicago Data Portal terms of use",
        data=CHICAGO_FILE.read_bytes(),
    )
