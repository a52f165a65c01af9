"""The job registry: each app's tasks.py registers handlers by kind with @job_handler.

A handler is a service-calling function `handler(job: JobRun, progress: Progress) -> dict | None`.
It must be safe to run again after a crash (idempotent writes or checkpoints in job.result),
because a lost worker's job is re-queued and run once more.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from peacekit.core.models import JobRun


@dataclass(frozen=True)
class JobKind:
    """A registered kind of background job."""

    kind: str
    label: str
    handler: Callable[..., dict[str, Any] | None]


_REGISTRY: dict[str, JobKind] = {}


def job_handler(kind: str, *, label: str) -> Callable:
    """Register a function as the handler for a job kind."""

    def decorator(func: Callable) -> Callable:
        _REGISTRY[kind] = JobKind(kind=kind, label=label, handler=func)
        return func

    return decorator


@dataclass(frozen=True)
class PeriodicCheck:
    """A cheap check every worker runs every few seconds (it may enqueue jobs)."""

    name: str
    setting: str
    default_seconds: float
    func: Callable[[], Any]

    @property
    def every_seconds(self) -> float:
        return float(getattr(settings, self.setting, self.default_seconds))


_PERIODIC: dict[str, PeriodicCheck] = {}


def periodic(name: str, *, setting: str, default_seconds: float) -> Callable:
    """Register a check the worker runs every `settings.<setting>` seconds (default given)."""

    def decorator(func: Callable) -> Callable:
        _PERIODIC[name] = PeriodicCheck(name, setting, default_seconds, func)
        return func

    return decorator


def periodic_checks() -> list[PeriodicCheck]:
    return sorted(_PERIODIC.values(), key=lambda c: c.name)


def get_job_kind(kind: str) -> JobKind:
    """Look up a registered job kind; unknown kinds are a programming error."""
    try:
        return _REGISTRY[kind]
    except KeyError as exc:
        raise LookupError(f"No job handler is registered for kind {kind!r}.") from exc


def registered_kinds() -> list[JobKind]:
    return sorted(_REGISTRY.values(), key=lambda k: k.kind)


def autodiscover() -> None:
    """Import every app's tasks module (and any extra configured modules) to fill the registry."""
    for app in settings.PEACEKIT_APPS:
        try:
            importlib.import_module(f"{app}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tasks":
                raise
    for module in getattr(settings, "PEACEKIT_EXTRA_JOB_MODULES", []):
        importlib.import_module(module)


class Progress:
    """Reports a job's progress (0–100) and a short message onto its JobRun row."""

    def __init__(self, job: JobRun) -> None:
        self.job = job

    def __call__(self, percent: float, message: str = "") -> None:
        from peacekit.core.services import jobrun_report_progress

        jobrun_report_progress(job=self.job, percent=percent, message=message)

    def counts(self, noun: str):
        """Return a callback(done, total) that reports "N of M <noun>" as a percentage."""

        def report(done: int, total: int) -> None:
            self(100 * done / max(total, 1), f"{done} of {total} {noun}")

        return report

    def steps(self, total: int, message: str = "", start: float = 0, end: float = 100):
        """Return a callback(i) that maps step i of total onto [start, end] percent."""
        every = max(1, total // 50)

        def report(i: int) -> None:
            if i % every == 0 or i == total:
                self(start + (end - start) * (i / max(total, 1)), message)

        return report
