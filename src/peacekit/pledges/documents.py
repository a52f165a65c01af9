"""Downloadable documents: the Promise certificate, checklist exports, toolkit DOCX and PDF.

PDFs go through reports.rendering (one template, WeasyPrint, pinned font); spreadsheets use
openpyxl and Word documents python-docx. Each builder returns bytes.
"""

from __future__ import annotations

import io

from django.utils import timezone
from django.utils.translation import gettext as _

from peacekit.core.models import Organization
from peacekit.pledges.models import Promise
from peacekit.pledges.selectors import (
    STATE_NAMES,
    ToolkitDocument,
    checklist_summary,
)
from peacekit.reports.rendering import render_report_pdf

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def certificate_pdf(*, promise: Promise, events) -> bytes:
    """A printable certificate and proclamation of the organization's Promise."""
    return render_report_pdf(
        "pledges/certificate.html",
        {
            "promise": promise,
            "events": events,
            "state_name": STATE_NAMES.get(promise.state, promise.state),
        },
    )


def checklist_pdf(*, organization: Organization, items) -> bytes:
    return render_report_pdf(
        "pledges/checklist_report.html",
        {
            "organization": organization,
            "items": items,
            "summary": checklist_summary(items),
            "generated": timezone.now(),
        },
    )


def checklist_xlsx(*, organization: Organization, items) -> bytes:
    """The checklist as a spreadsheet an agency can keep working in."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.table import Table, TableStyleInfo

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Checklist"
    headers = [
        _("Order"),
        _("Step"),
        _("Description"),
        _("Owner"),
        _("Due date"),
        _("Status"),
        _("Evidence files"),
    ]
    sheet.append([str(h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for n, item in enumerate(items, start=1):
        sheet.append(
            [
                n,
                item.title,
                item.description,
                item.owner.get_full_name() if item.owner else "",
                item.due_date,
                str(item.get_status_display()),
                len(item.evidence.all()),
            ]
        )
        sheet.cell(row=n + 1, column=5).number_format = "yyyy-mm-dd"
    if items:
        table = Table(displayName="Checklist", ref=f"A1:G{len(items) + 1}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
        sheet.add_table(table)
    for column, width in zip("ABCDEFG", (7, 38, 60, 24, 12, 16, 14), strict=True):
        sheet.column_dimensions[column].width = width
    summary = checklist_summary(items)
    info = workbook.create_sheet("Summary")
    info.append([_("Organization"), organization.name])
    info.append([_("Steps done"), summary["done"]])
    info.append([_("Steps that apply"), summary["applicable"]])
    info.append([_("Progress"), round(summary["progress"], 4)])
    info["B4"].number_format = "0%"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def toolkit_docx(*, document: ToolkitDocument) -> bytes:
    """A toolkit document as Word, with real headings and bullets."""
    from docx import Document

    word = Document()
    word.core_properties.title = document.title
    word.add_heading(document.title, level=0)
    for block in document.blocks:
        if block.kind == "heading":
            word.add_heading(block.text, level=1)
        elif block.kind == "bullet":
            word.add_paragraph(block.text, style="List Bullet")
        else:
            word.add_paragraph(block.text)
    buffer = io.BytesIO()
    word.save(buffer)
    return buffer.getvalue()


def toolkit_pdf(*, document: ToolkitDocument) -> bytes:
    return render_report_pdf("pledges/toolkit_document.html", {"document": document})
