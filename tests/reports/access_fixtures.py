"""URL parameters for the cross-organization walk: report objects owned by organization A."""

from datetime import timedelta

from django.utils import timezone

from peacekit.reports import services
from peacekit.reports.models import ReportRun, ReportShare
from tests.listening import factories


def _run(org_a, owner_a):
    init = factories.initiative(org_a, owner_a)
    return ReportRun.objects.create(
        initiative=init, version=1, status=ReportRun.Status.DONE,
        html="<p>ORGA-SECRET report</p>", pdf=b"%PDF-1.7 ORGA-SECRET",
    )  # fmt: skip


def _share(org_a, owner_a):
    return ReportShare.objects.create(
        run=_run(org_a, owner_a), label="ORGA-SECRET", expires_at=timezone.now() + timedelta(days=1)
    )


KWARG_FACTORIES = {
    "run_id": lambda org_a, owner_a: _run(org_a, owner_a).pk,
    "share_id": lambda org_a, owner_a: _share(org_a, owner_a).pk,
    # A well-formed token for a share of A: the public page answers anyone holding it.
    "share_token": lambda org_a, owner_a: services.share_token(_share(org_a, owner_a)),
}
