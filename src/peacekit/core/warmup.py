"""Work a web process does once when it starts instead of during its first requests.

Without it the first requests each gunicorn worker serves pay for building the URL table
(every namespace, on the first `{% url %}` or `reverse`), compiling templates and loading the
Spanish catalogue — tens of milliseconds each, while the worker's other threads wait behind
the interpreter lock. `peacekit.wsgi` calls `warm_up()` after the application is built.
"""

from __future__ import annotations

import logging
import time

logger = logging.getLogger(__name__)


def _populate(resolver) -> int:
    """Build the reverse table of `resolver` and every resolver included under it."""
    from django.urls import URLResolver

    count = 1
    resolver._populate()  # what the first reverse() in the resolver would do
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            count += _populate(pattern)
    return count


def _project_templates(engine) -> list[str]:
    """Names of the .html templates in peacekit's own template folders for `engine`."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]  # the peacekit package
    inner = getattr(engine, "engine", None)
    if inner is None:
        return []
    loaders = []
    for loader in inner.template_loaders:
        loaders += getattr(loader, "loaders", [loader])
    names: set[str] = set()
    for loader in loaders:
        for directory in map(Path, loader.get_dirs()):
            if directory.is_dir() and directory.resolve().is_relative_to(root):
                names.update(str(p.relative_to(directory)) for p in directory.rglob("*.html"))
    return sorted(names)


def warm_up() -> dict[str, float]:
    """Populate URL resolvers, compile every template of the project and load each
    language's catalogue. Returns what was done (counts and seconds); a failure is logged,
    never raised (a cold first request is slower, not broken)."""
    from django.conf import settings
    from django.template import engines
    from django.urls import get_resolver
    from django.utils import translation

    started = time.perf_counter()
    done: dict[str, float] = {}
    try:
        done["resolvers"] = _populate(get_resolver())
        compiled = 0
        for engine in engines.all():
            for name in _project_templates(engine):
                try:
                    engine.get_template(name)  # compiled into the cached loader
                except Exception:  # noqa: BLE001, S112 - e.g. a fragment; it loads when used
                    continue
                compiled += 1
        done["templates"] = compiled
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                translation.gettext("Thank you")
        done["seconds"] = round(time.perf_counter() - started, 3)
    except Exception:  # noqa: BLE001 - never stop a web process from starting
        logger.exception("warm-up failed; the first requests will be slower")
    return done
