"""Permission-checked fetches for reports (scoped by the initiative's lead organization)."""

from __future__ import annotations

from peacekit.core.access import access_object
from peacekit.core.models import Membership, User
from peacekit.reports.models import ReportRun, ReportShare

Role = Membership.Role
#: Generate reports, share them, export open data.
REPORT_ROLES = frozenset({Role.PROGRAM_ADMIN, Role.AGENCY_ADMIN, Role.ANALYST})
ORG = "initiative__organization"


def access_report_run(user: User, run_id, *, roles=None) -> ReportRun:
    qs = ReportRun.objects.select_related(
        "initiative", "initiative__organization", "micro_community"
    )
    return access_object(user, qs, run_id, org_field=ORG, roles=roles)


def access_share(user: User, share_id, *, roles=None) -> ReportShare:
    qs = ReportShare.objects.select_related("run", "run__initiative")
    return access_object(user, qs, share_id, org_field="run__initiative__organization", roles=roles)
