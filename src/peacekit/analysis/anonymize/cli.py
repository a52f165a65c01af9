"""Command line: anonymize a CSV, TXT or JSONL file (`peacekit anonymize FILE`)."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from .engine import Anonymizer
from .gazetteer import AllowList, Gazetteer, GazetteerEntry
from .placeholders import PlaceholderRegistry
from .types import ENTITY_TYPES, Policy

FORMATS = ("csv", "txt", "jsonl")


class InputError(Exception):
    """A problem with the input file, described by location and cause, never by content."""


def _read_text(path: Path) -> str:
    """The file as text; a clear error (with byte offset) when it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            f"{path.name}: not valid UTF-8 at byte {error.start} (line {line}); "
            "re-save the file as UTF-8 and run again"
        ) from None


def _read_terms(path: Path | None) -> list[tuple[str, str]]:
    """Terms from a TXT (one per line) or CSV (term[,type]) file."""
    if path is None:
        return []
    text = _read_text(path)
    terms = []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not row[0].strip() or row[0].startswith("#"):
            continue
        kind = row[1].strip().upper() if len(row) > 1 and row[1].strip() else "PERSON"
        if kind not in ENTITY_TYPES:
            raise InputError(
                f"{path.name}: line {number}: unknown type (use one of {ENTITY_TYPES})"
            )
        terms.append((row[0].strip(), kind))
    return terms


def _records(path: Path, fmt: str, column: str, field: str) -> tuple[list[str], object]:
    """The statements to anonymize and a structure to write them back into."""
    text = _read_text(path)
    if fmt == "txt":
        lines = text.split("\n")
        return lines, lines
    if fmt == "jsonl":
        rows = []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise InputError(
                    f"{path.name}: line {number}: not valid JSON ({error.msg})"
                ) from None
            if not isinstance(row, dict) or not isinstance(row.get(field), str):
                raise InputError(f"{path.name}: line {number}: no text field '{field}'")
            rows.append(row)
        return [r[field] for r in rows], rows
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        raise InputError(f"{path.name}: empty CSV file (no header row)")
    if column not in reader.fieldnames:
        raise InputError(
            f"{path.name}: no column '{column}'; columns are: {', '.join(reader.fieldnames)}"
        )
    rows = list(reader)
    for number, row in enumerate(rows, start=2):
        if row.get(column) is None:
            raise InputError(f"{path.name}: row {number}: missing the '{column}' field")
    return [r[column] for r in rows], (reader.fieldnames, rows)


def _batches(items: list[str], size: int) -> Iterator[tuple[int, list[str]]]:
    for start in range(0, len(items), size):
        yield start, items[start : start + size]


def build_parser() -> argparse.ArgumentParser:
    """Argument parser for `peacekit anonymize`."""
    parser = argparse.ArgumentParser(
        prog="peacekit anonymize",
        description="Mask names, addresses, contacts, numbers and quasi-identifiers in a file.",
    )
    parser.add_argument("file", type=Path, help="CSV, TXT (one statement per line) or JSONL")
    parser.add_argument("--format", choices=FORMATS, help="input format (default: from suffix)")
    parser.add_argument("--column", default="text", help="CSV column to anonymize")
    parser.add_argument("--field", default="text", help="JSONL field to anonymize")
    parser.add_argument(
        "-o", "--output", type=Path, help="output file (default: FILE.redacted.EXT)"
    )
    parser.add_argument(
        "--policy", choices=[p.value for p in Policy], default=Policy.DIRECT_QUASI.value
    )
    parser.add_argument("--gazetteer", type=Path, help="terms to mask: TXT or CSV term,type")
    parser.add_argument("--allow", type=Path, help="terms never masked (one per line)")
    parser.add_argument("--no-ner", action="store_true", help="rules only, no statistical model")
    parser.add_argument("--spans", type=Path, help="also write the spans found (JSONL, no text)")
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 2 bad input)."""
    args = build_parser().parse_args(argv)
    path: Path = args.file
    fmt = args.format or path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"error: cannot tell the format of {path.name}; use --format", file=sys.stderr)
        return 2
    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    try:
        texts, container = _records(path, fmt, args.column, args.field)
        gazetteer_terms = _read_terms(args.gazetteer)
        allow_terms = [t for t, _ in _read_terms(args.allow)]
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    gazetteer = (
        Gazetteer([GazetteerEntry(t, k) for t, k in gazetteer_terms]) if gazetteer_terms else None
    )
    engine = Anonymizer(
        policy=args.policy,
        gazetteer=gazetteer,
        allow_list=AllowList(allow_terms),
        use_ner=not args.no_ner,
    )
    registry = PlaceholderRegistry()
    redacted: list[str] = []
    counts: Counter[str] = Counter()
    span_rows = []
    from tqdm import tqdm

    with tqdm(total=len(texts), unit="stmt", disable=args.no_progress, file=sys.stderr) as bar:
        for start, batch in _batches(texts, 64):
            for offset, result in enumerate(engine.redact_many(batch, registry)):
                redacted.append(result.text)
                counts.update(result.counts())
                span_rows.extend(
                    {
                        "record": start + offset,
                        "start": r.span.start,
                        "end": r.span.end,
                        "type": r.span.type,
                        "placeholder": r.placeholder,
                        "detector": r.span.detector,
                        "reason": r.span.reason,
                        "score": r.span.score,
                    }
                    for r in result.replacements
                )
            bar.update(len(batch))
    output = args.output or path.with_name(f"{path.stem}.redacted.{fmt}")
    _write(output, fmt, container, redacted, args.column, args.field)
    if args.spans:
        args.spans.write_text(
            "".join(json.dumps(row) + "\n" for row in span_rows), encoding="utf-8"
        )
    print(f"{len(texts)} records -> {output}", file=sys.stderr)
    if counts:
        width = max(len(k) for k in counts)
        for kind, number in counts.most_common():
            print(f"  {kind:<{width}}  {number}", file=sys.stderr)
    else:
        print("  nothing found to mask", file=sys.stderr)
    return 0


def _write(
    path: Path, fmt: str, container: object, redacted: list[str], column: str, field: str
) -> None:
    """Write the redacted records in the input's format."""
    if fmt == "txt":
        path.write_text("\n".join(redacted), encoding="utf-8")
        return
    if fmt == "jsonl":
        rows = container
        assert isinstance(rows, list)
        lines = []
        for row, text in zip(rows, redacted, strict=True):
            lines.append(json.dumps({**row, field: text}, ensure_ascii=False))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    fieldnames, rows = container  # type: ignore[misc]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames)
    writer.writeheader()
    for row, text in zip(rows, redacted, strict=True):
        writer.writerow({**row, column: text})
    path.write_text(buffer.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
