"""One template, two outputs: the HTML page an analyst reviews is the PDF a chief prints.

Report templates extend `reports/report_base.html`. `render_report_html` returns the page;
`render_report_pdf` renders the same template with `pdf=True` (print CSS, no navigation) and
converts it with WeasyPrint, resolving static files from disk so nothing is fetched.

Speed: the print layout links only the small print stylesheet (`peacekit/report-print.css`),
never the site's USWDS stylesheet, and each process (each thread) keeps one WeasyPrint font
configuration, so the vendored fonts of `@font-face` rules are read and decoded once, not for
every document. Jobs that render many PDFs (a 360 cycle) call `render_report_pdf` in worker
processes; each worker pays the font set-up once.
"""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

_local = threading.local()

# WeasyPrint draws an inline <svg> as its own image: the page's CSS (`svg text { font-family }`)
# does not reach it, so without an attribute the chart's labels fall back to the system sans
# font (DejaVu), which is also costly to embed. The attribute pins them to the report font.
_CHART_SVG = re.compile(r'<svg class="pk-chart"(?![^>]*\bfont-family=)')
_CHART_FONT = '<svg class="pk-chart" font-family="Public Sans Web, sans-serif"'


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


def _font_config():
    """This thread's WeasyPrint font configuration, shared by every PDF it renders.

    WeasyPrint registers an `@font-face` font once per configuration (it keys the decoded
    file by the rule), so sharing it skips fetching and decoding the WOFF2 fonts per document.
    """
    config = getattr(_local, "font_config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _local.font_config = FontConfiguration()
    return config


def _pdf_document(markup: str, base_url: str):
    from weasyprint import HTML

    font_config = _font_config()
    return HTML(string=markup, base_url=base_url, url_fetcher=_static_fetcher()).render(
        font_config=font_config, pdf_tags=True
    )


def render_report_html(request: HttpRequest | None, template: str, context: dict[str, Any]) -> str:
    """The report as a web page."""
    return render_to_string(template, {**context, "pdf": False}, request=request)


def render_report_pdf_markup(template: str, context: dict[str, Any]) -> str:
    """The print markup a PDF is made from (what `render_report_pdf` converts)."""
    return _CHART_SVG.sub(_CHART_FONT, render_to_string(template, {**context, "pdf": True}))


def markup_to_pdf(markup: str, *, base_url: str = "http://peacekit.local/") -> bytes:
    """Convert print markup (from `render_report_pdf_markup`) to a tagged PDF."""
    return _pdf_document(markup, base_url).write_pdf(pdf_tags=True)


def render_report_pdf(
    template: str, context: dict[str, Any], *, base_url: str = "http://peacekit.local/"
) -> bytes:
    """The same report as a print-ready, tagged PDF (WeasyPrint)."""
    return markup_to_pdf(render_report_pdf_markup(template, context), base_url=base_url)


def render_report_pdf_counted(
    template: str, context: dict[str, Any], *, base_url: str = "http://peacekit.local/"
) -> tuple[bytes, int]:
    """`render_report_pdf`, also returning the number of pages."""
    document = _pdf_document(render_report_pdf_markup(template, context), base_url)
    return document.write_pdf(pdf_tags=True), len(document.pages)


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """An attachment response for a PDF."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
