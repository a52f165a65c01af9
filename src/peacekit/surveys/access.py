"""Permission-checked fetches for surveys, waves and trend datasets (scoped by organization)."""

from __future__ import annotations

from django.http import Http404

from peacekit.core.access import STAFF_ROLES, access_object
from peacekit.core.models import User
from peacekit.surveys.models import Survey, TrendDataset, Wave

# Facilitators run surveys; analysts and admins too. Viewers may read evaluations only.
EDIT_ROLES = STAFF_ROLES


def access_survey(user: User, survey_id: int | str, *, edit: bool = False) -> Survey:
    """A survey of the user's organizations; `edit` requires a staff role there."""
    return access_object(
        user,
        Survey.objects.select_related("organization"),
        survey_id,
        roles=EDIT_ROLES if edit else None,
    )


def access_wave(user: User, wave_id: int | str, *, edit: bool = False) -> Wave:
    """A wave of a survey of the user's organizations."""
    return access_object(
        user,
        Wave.objects.select_related("survey__organization"),
        wave_id,
        org_field="survey__organization",
        roles=EDIT_ROLES if edit else None,
    )


def access_trend_dataset(user: User, dataset_id: int | str) -> TrendDataset:
    """A trend dataset of the user's organizations."""
    return access_object(user, TrendDataset.objects.select_related("organization"), dataset_id)


def public_wave(token: str) -> Wave:
    """The wave behind a public link (no account); 404 for unknown tokens."""
    token = str(token)
    # Tokens are URL-safe base64; anything else (a NUL byte breaks PostgreSQL) is unknown.
    if not token or len(token) > 32 or not all(c.isalnum() or c in "-_" for c in token):
        raise Http404("Not found.")
    try:
        return Wave.objects.select_related("survey__organization").get(token=token)
    except Wave.DoesNotExist as exc:
        raise Http404("Not found.") from exc
