"""What a spawned PDF worker process runs (see `pdfs.cycle_pdfs_prepare`).

Kept free of model imports at module level: a spawned process imports this module (to find
the functions it was given) before Django is set up, and only then runs `init`.
"""

from __future__ import annotations


def init() -> None:
    """Set Django up once (settings and static file finders for WeasyPrint's fetcher)."""
    import django

    django.setup()


def markup_to_pdf(markup: str) -> bytes:
    """Print markup → PDF bytes; no database access."""
    from peacekit.reports.rendering import markup_to_pdf as convert

    return convert(markup)
