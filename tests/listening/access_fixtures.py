"""URL parameters for the cross-organization walk: listening objects owned by organization A."""

from peacekit.listening import services
from peacekit.listening.models import ImportBatch
from tests.listening import factories


def _initiative(org_a, owner_a):
    return factories.initiative(org_a, owner_a)


def _initiative_id(org_a, owner_a):
    return _initiative(org_a, owner_a).pk


def _session_id(org_a, owner_a):
    return factories.session(_initiative(org_a, owner_a)).pk


def _statement_id(org_a, owner_a):
    from django.test.utils import override_settings  # noqa: F401

    return factories.statement(_initiative(org_a, owner_a)).pk


def _import_id(org_a, owner_a):
    batch = ImportBatch.objects.create(
        initiative=_initiative(org_a, owner_a), kind=ImportBatch.Kind.TABLE,
        filename="ORGA-SECRET.csv", status=ImportBatch.Status.FAILED,
        errors=[{"row": 2, "message": "ORGA-SECRET"}],
    )  # fmt: skip
    return batch.pk


def _theme_id(org_a, owner_a):
    from peacekit.listening.models import StatementTheme, Theme

    init = _initiative(org_a, owner_a)
    theme = Theme.objects.create(initiative=init, label="ORGA-SECRET theme", count=1, share=1.0)
    StatementTheme.objects.create(statement=factories.published(init), theme=theme, confidence=1)
    return theme.pk


def _recommendation_id(org_a, owner_a):
    from peacekit.listening.models import Recommendation

    rec = Recommendation.objects.create(
        initiative=_initiative(org_a, owner_a), title="ORGA-SECRET recommendation"
    )
    return rec.pk


KWARG_FACTORIES = {
    "theme_id": _theme_id,
    "recommendation_id": _recommendation_id,
    "initiative_id": _initiative_id,
    "session_id": _session_id,
    "statement_id": _statement_id,
    "import_id": _import_id,
    "initiative_token": lambda org_a, owner_a: _initiative(org_a, owner_a).public_token,
    "session_token": lambda org_a, owner_a: (
        factories.session(_initiative(org_a, owner_a)).public_token
    ),
}

__all__ = ["KWARG_FACTORIES", "services"]
