"""URL parameters for the cross-organization walk: survey objects owned by organization A."""

from peacekit.surveys import services
from tests.surveys.factories import make_survey


def _survey(org_a, owner_a):
    return make_survey(org_a, owner_a, title="ORGA-SECRET survey").pk


def _wave(org_a, owner_a):
    survey = make_survey(org_a, owner_a, title="ORGA-SECRET wave survey")
    return survey.waves.first().pk


def _dataset(org_a, owner_a):
    data = (
        b"DISTRICT,AREA,SECTOR,START_DATE,END_DATE,SAFETY,TRUST,T_LISTEN,T_RESPECT\n"
        b",,,01/01/2020,01/31/2020,50,60,55,65\n"
    )
    return services.trend_import_csv(
        actor=owner_a, organization=org_a, name="ORGA-SECRET trends", data=data
    ).pk


KWARG_FACTORIES = {
    "survey_id": _survey,
    "wave_id": _wave,
    "dataset_id": _dataset,
    "wave_token": lambda org_a, owner_a: "not-a-real-wave-token",
}
