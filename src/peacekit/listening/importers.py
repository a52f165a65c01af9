"""File parsing for imports: statement tables (CSV/XLSX), transcripts, votes.

Parsers return rows plus row-numbered errors; they never log or echo cell contents.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from peacekit.listening.models import AgeBand, SpeakerRole

MAX_STATEMENT_CHARS = 4000
TABLE_COLUMNS = ("text", "session", "micro_community", "age_band", "role", "language", "id")


@dataclass
class ParseResult:
    rows: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)

    def error(self, row: int, message: str) -> None:
        self.errors.append({"row": row, "message": message})


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("The file is not UTF-8 text."))


def read_table(filename: str, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (row number, cells) of a CSV or XLSX file; blank rows are skipped but
    keep their numbers, so errors name the row a spreadsheet shows."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:
            raise ValueError(_("The spreadsheet could not be read.")) from exc
        sheet = workbook.worksheets[0]
        rows = [
            ["" if v is None else str(v).strip() for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
    else:
        reader = csv.reader(io.StringIO(_decode(data), newline=""))
        try:
            rows = [[c.strip() for c in row] for row in reader]
        except csv.Error as exc:
            raise ValueError(
                _("The CSV file could not be read near line %(line)d.") % {"line": reader.line_num}
            ) from exc
    numbered = [(n, r) for n, r in enumerate(rows, start=1) if any(r)]
    if not numbered:
        raise ValueError(_("The file is empty."))
    header = [h.strip().lower().replace(" ", "_") for h in numbered[0][1]]
    return header, numbered[1:]


def parse_statement_table(filename: str, data: bytes) -> ParseResult:
    """Statement rows: a `text` column, optional session, micro_community, age_band, role,
    language and id (your own reference, used to match votes)."""
    result = ParseResult()
    try:
        header, rows = read_table(filename, data)
    except ValueError as exc:
        result.error(1, str(exc))
        return result
    if "text" not in header:
        result.error(1, _("The header row needs a “text” column."))
        return result
    ages, roles = set(AgeBand.values), set(SpeakerRole.values)
    for offset, cells in rows:
        values = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        text = values.get("text", "").strip()
        if not text:
            result.error(offset, _("The text is empty."))
            continue
        if len(text) > MAX_STATEMENT_CHARS:
            result.error(
                offset, _("The text is longer than %(n)s characters.") % {"n": MAX_STATEMENT_CHARS}
            )
            continue
        age = values.get("age_band", "").strip()
        if age and age not in ages:
            result.error(
                offset, _("Unknown age band; use one of %(v)s.") % {"v": ", ".join(sorted(ages))}
            )
            continue
        role = values.get("role", "").strip().lower()
        if role and role not in roles:
            result.error(
                offset, _("Unknown role; use one of %(v)s.") % {"v": ", ".join(sorted(roles))}
            )
            continue
        result.rows.append(
            {
                "row": offset,
                "text": text,
                "session": values.get("session", "").strip(),
                "micro_community": values.get("micro_community", "").strip(),
                "age_band": age,
                "speaker_role": role,
                "language": (values.get("language", "") or "en").strip()[:10],
                "external_ref": values.get("id", "").strip()[:64],
            }
        )
    return result


_TIMESTAMP = re.compile(r"^\s*\d{1,2}:\d{2}(:\d{2})?[.,]\d{1,3}\s*-->")
_VOICE = re.compile(r"^<v(?:\.[\w.]+)?\s+([^>]+)>(.*)$")
_SPEAKER = re.compile(r"^([A-Z][\w .'’-]{0,40}?|Speaker \d+|SPEAKER_\d+):\s+(.+)$")
_TAG = re.compile(r"</?[^>]+>")


def _lines_of_transcript(filename: str, data: bytes) -> list[str]:
    name = filename.lower()
    if name.endswith(".docx"):
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception as exc:
            raise ValueError(_("The Word document could not be read.")) from exc
        return [p.text for p in document.paragraphs]
    text = _decode(data)
    lines = text.splitlines()
    if name.endswith((".vtt", ".srt")):
        kept = []
        for line in lines:
            stripped = line.strip()
            if not stripped or stripped == "WEBVTT" or stripped.startswith(("NOTE", "STYLE")):
                kept.append("")
                continue
            if _TIMESTAMP.match(stripped) or stripped.isdigit():
                continue
            voice = _VOICE.match(stripped)
            if voice:
                stripped = f"{voice.group(1).strip()}: {voice.group(2)}"
            kept.append(_TAG.sub("", stripped))
        return kept
    return lines


def parse_transcript(filename: str, data: bytes) -> ParseResult:
    """Statements from a transcript, one per speaker turn (VTT, SRT, TXT or DOCX).

    Speaker names are used only to find turns and are not kept. Without speaker labels each
    paragraph (blank-line separated block) is one statement.
    """
    result = ParseResult()
    if not filename.lower().endswith((".vtt", ".srt", ".txt", ".docx")):
        result.error(1, _("Upload a .vtt, .srt, .txt or .docx transcript."))
        return result
    try:
        lines = _lines_of_transcript(filename, data)
    except ValueError as exc:
        result.error(1, str(exc))
        return result
    turns: list[list[str]] = []
    speaker: str | None = None
    labelled = any(_SPEAKER.match(line.strip()) for line in lines)
    for line in lines:
        stripped = line.strip()
        if not stripped:
            if not labelled:
                speaker = None
            continue
        match = _SPEAKER.match(stripped) if labelled else None
        if match:
            who, said = match.group(1).strip().casefold(), match.group(2).strip()
            if who != speaker or not turns:
                turns.append([])
                speaker = who
            turns[-1].append(said)
        elif turns and (labelled or speaker == "¶"):
            turns[-1].append(stripped)
        else:
            turns.append([stripped])
            speaker = "¶"
    for number, turn in enumerate(turns, start=1):
        text = " ".join(turn).strip()
        if not text:
            continue
        if len(text) > MAX_STATEMENT_CHARS:
            result.error(
                number,
                _("Turn %(n)s is longer than %(m)s characters.")
                % {"n": number, "m": MAX_STATEMENT_CHARS},
            )
            continue
        result.rows.append({"row": number, "text": text})
    if not result.rows and not result.errors:
        result.error(1, _("No statements were found in the transcript."))
    return result


def parse_votes(filename: str, data: bytes) -> ParseResult:
    """Votes: columns participant, statement (the statement's id from the import), vote;
    an optional role column (resident, officer, …) records who voted."""
    from peacekit.listening.models import SpeakerRole

    result = ParseResult()
    try:
        header, rows = read_table(filename, data)
    except ValueError as exc:
        result.error(1, str(exc))
        return result
    missing = {"participant", "statement", "vote"} - set(header)
    if missing:
        result.error(1, _("The header row needs columns participant, statement and vote."))
        return result
    for offset, cells in rows:
        values = dict(zip(header, cells, strict=False))
        try:
            value = int(float(values.get("vote", "")))
        except ValueError:
            value = 99
        if value not in (-1, 0, 1):
            result.error(offset, _("The vote must be 1, 0 or -1."))
            continue
        participant = values.get("participant", "").strip()
        statement = values.get("statement", "").strip()
        if not participant or not statement:
            result.error(offset, _("Participant and statement are required."))
            continue
        role = values.get("role", "").strip().lower()
        if role and role not in SpeakerRole.values:
            result.error(offset, _("The role is not one of the known roles."))
            continue
        result.rows.append(
            {"row": offset, "participant": participant, "statement": statement, "value": value,
             "role": role}
        )  # fmt: skip
    return result
