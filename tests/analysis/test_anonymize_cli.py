"""`peacekit anonymize FILE` for CSV, TXT and JSONL, with summaries and clear input errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from peacekit.analysis.anonymize.cli import main


def test_csv_column_is_redacted_and_summary_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "statements.csv"
    source.write_text(
        "id,text\n1,Officer Smith was kind to me\n2,Call me at (312) 555-0147\n"
        "3,more patrols please\n",
        encoding="utf-8",
    )
    assert main([str(source), "--column", "text", "--no-progress", "--no-ner"]) == 0
    rows = list(csv.DictReader((tmp_path / "statements.redacted.csv").open(encoding="utf-8")))
    assert [r["text"] for r in rows] == [
        "Officer [PERSON 1] was kind to me",
        "Call me at [PHONE 1]",
        "more patrols please",
    ]
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    err = capsys.readouterr().err
    assert "PERSON" in err and "PHONE" in err and "3 records" in err
    assert "Smith" not in err


def test_txt_lines_share_placeholders(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    source.write_text("Sgt. Lee stopped us.\n\nLee apologised later.\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main([str(source), "-o", str(out), "--no-progress", "--no-ner"]) == 0
    assert (
        out.read_text(encoding="utf-8")
        == "Sgt. [PERSON 1] stopped us.\n\n[PERSON 1] apologised later.\n"
    )


def test_jsonl_field_and_spans_file(tmp_path: Path) -> None:
    source = tmp_path / "s.jsonl"
    source.write_text(
        json.dumps({"id": 7, "body": "email ana@example.org"}) + "\n", encoding="utf-8"
    )
    spans = tmp_path / "spans.jsonl"
    assert (
        main([str(source), "--field", "body", "--spans", str(spans), "--no-progress", "--no-ner"])
        == 0
    )
    row = json.loads((tmp_path / "s.redacted.jsonl").read_text(encoding="utf-8"))
    assert row == {"id": 7, "body": "email [EMAIL 1]"}
    span = json.loads(spans.read_text(encoding="utf-8"))
    assert span["type"] == "EMAIL" and "ana" not in json.dumps(span)


def test_non_utf8_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "latin1.txt"
    source.write_bytes("Señor Gómez\n".encode("latin-1"))
    assert main([str(source), "--no-progress", "--no-ner"]) == 2
    err = capsys.readouterr().err
    assert "not valid UTF-8" in err and "line 1" in err
    assert "Gómez" not in err and "G\\xf3mez" not in err


def test_missing_csv_column_lists_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "s.csv"
    source.write_text("id,comment\n1,hello\n", encoding="utf-8")
    assert main([str(source), "--column", "text", "--no-progress"]) == 2
    assert "no column 'text'; columns are: id, comment" in capsys.readouterr().err


def test_bad_jsonl_line_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "s.jsonl"
    source.write_text('{"text": "ok"}\n{not json\n', encoding="utf-8")
    assert main([str(source), "--no-progress"]) == 2
    assert "line 2: not valid JSON" in capsys.readouterr().err


def test_gazetteer_and_allow_files(tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    source.write_text("Englewood neighbors thank Tomasz Wrzesniewski\n", encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text("Tomasz Wrzesniewski,PERSON\n", encoding="utf-8")
    allow = tmp_path / "allow.txt"
    allow.write_text("Englewood\n", encoding="utf-8")
    out = tmp_path / "o.txt"
    args = [str(source), "-o", str(out), "--gazetteer", str(roster), "--allow", str(allow)]
    assert main([*args, "--no-progress", "--no-ner"]) == 0
    assert out.read_text(encoding="utf-8") == "Englewood neighbors thank [PERSON 1]\n"


def test_unknown_format_is_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "s.docx"
    source.write_text("x", encoding="utf-8")
    assert main([str(source)]) == 2
    assert "--format" in capsys.readouterr().err
