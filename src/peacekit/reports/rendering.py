"""One template, two outputs: the HTML page an analyst reviews is the PDF a chief prints.

Report templates extend `reports/report_base.html`. `render_report_html` returns the page;
`render_report_pdf` renders the same template with `pdf=True` (print CSS, no navigation) and
converts it with WeasyPrint, resolving static files from disk so nothing is fetched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _static_fetcher():
    """A WeasyPrint fetcher that serves /static/ from disk and refuses every other URL."""
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file://"):
                return super().fetch(url, headers)
            marker = "/static/"
            if marker in url:
                relative = url.split(marker, 1)[1].split("?", 1)[0]
                path = finders.find(relative)
                if path:
                    return super().fetch(Path(path).resolve().as_uri(), headers)
            raise ValueError("External resources are not loaded into reports.")

    return StaticOnlyFetcher(allowed_protocols=["file", "http", "https", "data"])


def render_report_html(request: HttpRequest | None, template: str, context: dict[str, Any]) -> str:
    """The report as a web page."""
    return render_to_string(template, {**context, "pdf": False}, request=request)


def render_report_pdf(
    template: str, context: dict[str, Any], *, base_url: str = "http://peacekit.local/"
) -> bytes:
    """The same report as a print-ready, tagged PDF (WeasyPrint)."""
    from weasyprint import HTML

    markup = render_to_string(template, {**context, "pdf": True})
    document = HTML(string=markup, base_url=base_url, url_fetcher=_static_fetcher())
    return document.write_pdf(pdf_tags=True)


def render_report_pdf_counted(
    template: str, context: dict[str, Any], *, base_url: str = "http://peacekit.local/"
) -> tuple[bytes, int]:
    """`render_report_pdf`, also returning the number of pages."""
    from weasyprint import HTML

    markup = render_to_string(template, {**context, "pdf": True})
    document = HTML(string=markup, base_url=base_url, url_fetcher=_static_fetcher()).render(
        pdf_tags=True
    )
    return document.write_pdf(pdf_tags=True), len(document.pages)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """An attachment response for a PDF."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
