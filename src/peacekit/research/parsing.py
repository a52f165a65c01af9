"""Read uploaded statute texts into plain section dicts, with row- or file-numbered errors.

Accepted: TXT, HTML and XML files (one section per file, or an XML file of <section>
elements), ZIP archives of those, and a CSV of sections (jurisdiction, citation, heading,
text[, source_url]). Nothing here touches the database; the services validate against it.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePosixPath

from defusedxml import ElementTree
from django.utils.translation import gettext as _

MAX_FILES = 5000
MAX_TOTAL_BYTES = 100 * 1024 * 1024  # after unzipping
TEXT_SUFFIXES = {".txt", ".htm", ".html", ".xml"}
FILENAME_RE = re.compile(r"^(?P<code>[A-Za-z]{2})__(?P<citation>.+)$")
CSV_COLUMNS = ("jurisdiction", "citation", "heading", "text")


@dataclass
class ParsedUpload:
    """Sections read from an upload (plain dicts) and the problems found, by row or file."""

    sections: list[dict] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    file_names: list[str] = field(default_factory=list)

    def error(self, where: str, message: str) -> None:
        self.errors.append((where, message))


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


class _TextExtractor(HTMLParser):
    """Visible text of an HTML page, with its <title> or first heading."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "section", "article"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.in_title = False
        self.in_heading = False
        self.title = ""
        self.heading = ""

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "nav"):
            self.skip += 1
        if tag == "title":
            self.in_title = True
        if tag in ("h1", "h2") and not self.heading:
            self.in_heading = True
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "nav") and self.skip:
            self.skip -= 1
        if tag == "title":
            self.in_title = False
        if tag in ("h1", "h2"):
            self.in_heading = False
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.in_heading:
            self.heading += data
        if not self.skip:
            self.parts.append(data)


def _tidy(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> tuple[str, str]:
    """(heading, text) of an HTML document."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    heading = _tidy(parser.heading or parser.title)
    return heading[:300], _tidy("".join(parser.parts))


def _element_text(element) -> str:
    return _tidy(" ".join(t.strip() for t in element.itertext() if t.strip()))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def xml_sections(markup: str) -> list[dict]:
    """Sections of an XML document: each <section> element, or the whole text as one."""
    if re.search(r"<!(?:DOCTYPE|ENTITY)", markup, re.IGNORECASE):
        raise ValueError(_("XML with DOCTYPE or ENTITY declarations is not accepted."))
    # defusedxml also refuses DTDs, entities and external references itself (a DefusedXmlException
    # is a ValueError), in case a declaration slips past the check above.
    root = ElementTree.fromstring(markup, forbid_dtd=True)
    found = [el for el in root.iter() if _local(el.tag) == "section"]
    sections = []
    for el in found or [root]:
        citation = el.get("citation") or el.get("num") or el.get("id") or ""
        heading = ""
        body_parts = []
        for child in el:
            name = _local(child.tag)
            if name in ("num", "citation") and not citation:
                citation = _element_text(child)
            elif name in ("heading", "title", "head"):
                heading = _element_text(child)
            elif name != "section":
                body_parts.append(_element_text(child))
        text = "\n".join(p for p in body_parts if p) or (el.text or "").strip()
        sections.append({"citation": citation.strip(), "heading": heading[:300], "text": text})
    return sections


def _from_file(result: ParsedUpload, name: str, data: bytes, jurisdiction: str) -> None:
    path = PurePosixPath(name)
    suffix = path.suffix.lower()
    match = FILENAME_RE.match(path.stem)
    code = (match.group("code").upper() if match else "") or jurisdiction
    stem_citation = match.group("citation") if match else path.stem
    if not code:
        result.error(
            path.name,
            _("No jurisdiction: name the file like CA__penal-830.txt or choose one in the form."),
        )
        return
    text = _decode(data)
    base = {"jurisdiction": code, "source_file": path.name[:255], "where": path.name}
    if suffix == ".txt":
        result.sections.append(
            {**base, "citation": stem_citation, "heading": "", "text": _tidy(text)}
        )
    elif suffix in (".htm", ".html"):
        heading, body = html_to_text(text)
        result.sections.append(
            {**base, "citation": stem_citation, "heading": heading, "text": body}
        )
    else:
        try:
            parsed = xml_sections(text)
        except (ElementTree.ParseError, ValueError) as exc:
            message = str(exc) if isinstance(exc, ValueError) else _("The XML is not well formed.")
            result.error(path.name, message)
            return
        for i, section in enumerate(parsed, 1):
            citation = section["citation"] or (stem_citation if len(parsed) == 1 else "")
            where = path.name if len(parsed) == 1 else f"{path.name} · section {i}"
            result.sections.append({**base, **section, "citation": citation, "where": where})


def read_csv(result: ParsedUpload, name: str, data: bytes) -> None:
    """Rows of a sections CSV; errors carry the spreadsheet row number (header is row 1)."""
    reader = csv.DictReader(io.StringIO(_decode(data), newline=""))
    try:
        header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    except csv.Error:
        result.error(name, _("The CSV file could not be read (its header row is malformed)."))
        return
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        result.error(name, _("Missing columns: %(cols)s.") % {"cols": ", ".join(missing)})
        return
    reader.fieldnames = header
    try:
        rows = list(enumerate(reader, start=2))
    except csv.Error:
        result.error(
            name,
            _("The CSV file could not be read near line %(line)d.") % {"line": reader.line_num},
        )
        return
    for number, row in rows:
        result.sections.append(
            {
                "jurisdiction": (row.get("jurisdiction") or "").strip().upper(),
                "citation": (row.get("citation") or "").strip(),
                "heading": (row.get("heading") or "").strip()[:300],
                "text": (row.get("text") or "").strip(),
                "source_url": (row.get("source_url") or "").strip()[:500],
                "source_file": name[:255],
                "where": _("%(file)s row %(row)d") % {"file": name, "row": number},
            }
        )


def read_uploads(files: list[tuple[str, bytes]], *, jurisdiction: str = "") -> ParsedUpload:
    """Every section in the uploaded files (ZIPs unpacked), with problems by file or row."""
    result = ParsedUpload()
    total = 0
    queue: list[tuple[str, bytes]] = list(files)
    while queue:
        name, data = queue.pop(0)
        suffix = PurePosixPath(name).suffix.lower()
        if suffix == ".zip":
            try:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    members = [m for m in archive.infolist() if not m.is_dir()]
                    if (
                        len(members) > MAX_FILES
                        or sum(m.file_size for m in members) > MAX_TOTAL_BYTES
                    ):
                        result.error(name, _("The archive is too large to import at once."))
                        continue
                    for member in members:
                        base = PurePosixPath(member.filename).name
                        if base.startswith((".", "__")) and not FILENAME_RE.match(
                            PurePosixPath(base).stem
                        ):
                            continue
                        queue.append((base, archive.read(member)))
            except zipfile.BadZipFile:
                result.error(name, _("This is not a readable ZIP archive."))
            continue
        total += len(data)
        if total > MAX_TOTAL_BYTES or len(result.file_names) >= MAX_FILES:
            result.error(name, _("The upload is too large to import at once."))
            break
        result.file_names.append(PurePosixPath(name).name)
        if suffix == ".csv":
            read_csv(result, PurePosixPath(name).name, data)
        elif suffix in TEXT_SUFFIXES:
            _from_file(result, name, data, jurisdiction)
        else:
            result.error(
                PurePosixPath(name).name,
                _("Unsupported file type; use .txt, .html, .xml, .csv or .zip."),
            )
    return result
