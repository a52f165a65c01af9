"""Survey test data made through the services."""

from peacekit.surveys import services
from peacekit.surveys.models import Instrument


def make_survey(organization, actor=None, *, title="Session survey", keys=("trust-safety",), **kw):
    """A survey with pre and post waves using library instruments."""
    services.surveys_library_install()
    instruments = Instrument.objects.filter(organization=None, key__in=keys)
    return services.survey_create(
        actor=actor,
        organization=organization,
        title=title,
        target_type="listening_session",
        target_label=kw.pop("target_label", "Eastside session"),
        instruments=instruments,
        **kw,
    )


def questions_by_code(survey):
    return {q.code: q for q in services.survey_questions(survey)}
