"""Capture: the facilitator form, table and transcript imports, the API, sessions."""

import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peacekit.core.models import Membership
from peacekit.core.services import api_token_create
from peacekit.listening import importers, services
from peacekit.listening.models import ImportBatch, ListeningSession, Registration, Statement
from tests.conftest import run_queued_jobs
from tests.factories import member
from tests.listening import factories


@pytest.fixture
def initiative(org_a, admin_a):
    return factories.initiative(org_a, admin_a)


@pytest.fixture
def session(initiative):
    return factories.session(initiative, micro_community=factories.community(initiative))


def _capture_post(batch_key, rows):
    data = {
        "batch_key": batch_key,
        "row-TOTAL_FORMS": str(len(rows)),
        "row-INITIAL_FORMS": "0",
        "row-MIN_NUM_FORMS": "0",
        "row-MAX_NUM_FORMS": "50",
    }
    for i, (text, age, role) in enumerate(rows):
        data |= {f"row-{i}-text": text, f"row-{i}-age_band": age, f"row-{i}-speaker_role": role}
    return data


def test_capture_saves_one_statement_per_filled_row_and_survives_double_submit(client_a, session):
    url = reverse("listening:capture", args=[session.pk])
    assert client_a.get(url).status_code == 200
    data = _capture_post(
        "batch-1",
        [("Lighting on 5th is poor.", "25_34", "resident"), ("", "", ""),
         ("Officers should learn names.", "", "officer")],
    )  # fmt: skip
    assert client_a.post(url, data).status_code == 302
    assert client_a.post(url, data).status_code == 302  # double click: same batch key
    statements = Statement.objects.filter(session=session).order_by("pk")
    assert statements.count() == 2
    assert statements[0].age_band == "25_34" and statements[1].speaker_role == "officer"
    assert statements[0].micro_community == session.micro_community
    assert all(s.source == "facilitator" for s in statements)


def test_capture_with_no_text_shows_an_error(client_a, session):
    url = reverse("listening:capture", args=[session.pk])
    response = client_a.post(url, _capture_post("b2", [("", "", "")]), follow=True)
    assert "at least one statement" in response.content.decode()
    assert not Statement.objects.exists()


def test_import_csv_creates_all_rows_with_sessions_and_groups(client_a, initiative, session):
    csv_text = (
        "text,session,micro_community,age_band,role,id\n"
        f"We need more youth programs.,{session.title},,18_24,youth,c1\n"
        f"Response times are slow.,,{session.micro_community.name},,,c2\n"
    )
    response = client_a.post(
        reverse("listening:import_upload", args=[initiative.pk]),
        {"kind": "table", "file": SimpleUploadedFile("s.csv", csv_text.encode())},
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and batch.status == "done" and batch.created_count == 2
    assert batch.payload == ""
    assert Statement.objects.filter(session=session, external_ref="c1").exists()
    detail = client_a.get(reverse("listening:import_detail", args=[batch.pk]))
    assert "2 rows imported" in detail.content.decode()


def test_import_csv_with_bad_rows_imports_nothing_and_names_rows(client_a, initiative):
    csv_text = "text,age_band,session\nFine row.,,\n,,\nBad age.,ancient,\nNo such.,,Nope\n"
    client_a.post(
        reverse("listening:import_upload", args=[initiative.pk]),
        {"kind": "table", "file": SimpleUploadedFile("s.csv", csv_text.encode())},
    )
    batch = ImportBatch.objects.get()
    assert batch.status == "failed"
    assert [e["row"] for e in batch.errors] == [4, 5]  # blank row 3 is skipped
    assert not Statement.objects.exists()
    detail = client_a.get(reverse("listening:import_detail", args=[batch.pk])).content.decode()
    assert "Nothing was imported" in detail and "Unknown age band" in detail


def test_import_xlsx_reads_the_first_sheet(admin_a, initiative):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Text", "Role"])
    workbook.active.append(["Sidewalks near the school are unsafe.", "resident"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = services.import_create(
        actor=admin_a, initiative=initiative, kind="table", filename="s.xlsx",
        data=buffer.getvalue(),
    )  # fmt: skip
    assert batch.status == "done" and Statement.objects.get().speaker_role == "resident"


def test_import_missing_text_column_is_rejected_on_row_1(admin_a, initiative):
    batch = services.import_create(
        actor=admin_a, initiative=initiative, kind="table", filename="s.csv", data=b"words\nhi\n"
    )
    assert batch.status == "failed" and batch.errors[0]["row"] == 1


def test_import_large_file_runs_as_a_job(admin_a, initiative, monkeypatch):
    monkeypatch.setattr(services, "INLINE_IMPORT_ROWS", 3)
    rows = "\n".join(f"Statement {i} about neighborhood safety." for i in range(5))
    batch = services.import_create(
        actor=admin_a, initiative=initiative, kind="table", filename="s.csv",
        data=f"text\n{rows}\n".encode(),
    )  # fmt: skip
    assert batch.status == "waiting" and batch.job is not None
    assert run_queued_jobs() == 1
    batch.refresh_from_db()
    assert batch.status == "done" and Statement.objects.count() == 5
    batch.job.refresh_from_db()
    assert batch.job.status == "succeeded"


VTT = """WEBVTT

1
00:00:01.000 --> 00:00:04.000
<v Maria>I have lived on Eastside twenty years.

2
00:00:04.000 --> 00:00:06.000
<v Maria>Things have changed.

3
00:00:06.000 --> 00:00:09.000
<v Officer Lee>We want to hear that.
"""

SRT = """1
00:00:01,000 --> 00:00:04,000
Speaker 1: The buses stop running too early.

2
00:00:04,000 --> 00:00:07,000
Speaker 2: And the stops are dark.
"""


@pytest.mark.parametrize(
    "filename,data,expected",
    [
        ("t.vtt", VTT.encode(), 2),
        ("t.srt", SRT.encode(), 2),
        ("t.txt", b"A: one thing\nmore of it\nB: another\nA: third\n", 3),
        ("t.txt", b"First paragraph.\n\nSecond paragraph\ncontinued.\n", 2),
    ],
)
def test_parse_transcript_splits_by_speaker_turns(filename, data, expected):
    result = importers.parse_transcript(filename, data)
    assert not result.errors
    assert len(result.rows) == expected
    assert all("Maria" not in r["text"] for r in result.rows)


def test_import_docx_transcript_creates_statements_per_turn(admin_a, initiative, session):
    import docx

    document = docx.Document()
    for line in ["Jordan: I feel safe downtown.", "Jordan: Mostly.", "Sam: I do not."]:
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    batch = services.import_create(
        actor=admin_a, initiative=initiative, kind="transcript", filename="t.docx",
        data=buffer.getvalue(), session=session,
    )  # fmt: skip
    assert batch.status == "done"
    texts = sorted(Statement.objects.values_list("redacted_text", flat=True))
    assert texts == ["I do not.", "I feel safe downtown. Mostly."]
    assert set(Statement.objects.values_list("session", flat=True)) == {session.pk}


def test_import_transcript_wrong_extension_is_rejected(admin_a, initiative):
    batch = services.import_create(
        actor=admin_a, initiative=initiative, kind="transcript", filename="t.pdf", data=b"%PDF"
    )
    assert batch.status == "failed"


def test_import_votes_matches_statement_ids_and_later_row_wins(admin_a, initiative):
    statement = factories.published(initiative, external_ref="c9")
    batch = services.import_create(
        actor=admin_a, initiative=initiative, kind="votes", filename="v.csv",
        data=b"participant,statement,vote\np1,c9,1\np2,c9,-1\np1,c9,0\n",
    )  # fmt: skip
    assert batch.status == "done" and batch.created_count == 2
    assert sorted(statement.votes.values_list("value", flat=True)) == [-1, 0]
    bad = services.import_create(
        actor=admin_a, initiative=initiative, kind="votes", filename="v.csv",
        data=b"participant,statement,vote\np1,zz,1\np1,c9,7\n",
    )  # fmt: skip
    assert bad.status == "failed" and [e["row"] for e in bad.errors] == [2, 3]


def test_api_submit_statement_is_idempotent_and_hides_raw(client, org_a, initiative):
    facilitator = member(org_a, Membership.Role.FACILITATOR)
    _token, raw = api_token_create(user=facilitator, name="field app")
    url = f"/api/listening/initiatives/{initiative.pk}/statements"
    payload = {"text": factories.RAW_SECRET, "submission_key": uuid.uuid4().hex}
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    first = client.post(url, payload, content_type="application/json", **headers)
    again = client.post(url, payload, content_type="application/json", **headers)
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert "Quigley" not in first.content.decode()
    assert first.json()["status"] == "pending_review" and first.json()["redacted_text"] is None
    assert Statement.objects.get().source == "api"


def test_api_submit_statement_viewer_is_refused(client, org_a, initiative):
    client.force_login(member(org_a, Membership.Role.VIEWER))
    response = client.post(
        f"/api/listening/initiatives/{initiative.pk}/statements",
        {"text": "hello there", "submission_key": uuid.uuid4().hex},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_api_lists_published_statements_only(client_a, initiative):
    factories.published(initiative, text="Published words about parks.")
    factories.statement(initiative, text="Pending words about parks.")
    response = client_a.get(f"/api/listening/initiatives/{initiative.pk}/statements")
    assert response.status_code == 200
    assert [i["text"] for i in response.json()["items"]] == ["Published words about parks."]


def test_session_close_records_attendance_and_statement_count(client_a, session):
    factories.statement(session.initiative, session=session)
    client_a.post(reverse("listening:session_held", args=[session.pk]))
    client_a.post(
        reverse("listening:session_close", args=[session.pk]),
        {"attendee_count": "14", "notes": "Good turnout."},
    )
    session.refresh_from_db()
    assert session.status == ListeningSession.Status.CLOSED
    assert (session.attendee_count, session.statement_count) == (14, 1)


def test_session_close_negative_attendance_is_refused(client_a, session):
    client_a.post(reverse("listening:session_close", args=[session.pk]), {"attendee_count": "-2"})
    session.refresh_from_db()
    assert session.status == ListeningSession.Status.PLANNED


def test_registration_over_capacity_goes_to_waitlist_and_retry_is_idempotent(session):
    session.capacity = 1
    session.save()
    first = services.registration_submit(
        session=session, first_name="A", contact="", needs="", submission_key="k1"
    )
    again = services.registration_submit(
        session=session, first_name="A", contact="", needs="", submission_key="k1"
    )
    second = services.registration_submit(
        session=session, first_name="B", contact="", needs="", submission_key="k2"
    )
    assert first.pk == again.pk and first.status == "registered"
    assert second.status == Registration.Status.WAITLISTED
    assert Registration.objects.count() == 2


def test_plan_initiative_community_and_session_through_pages(client_a, org_a, initiative):
    response = client_a.post(
        reverse("listening:community_add", args=[initiative.pk]),
        {"name": "Youth", "kind": "stakeholder", "population_share": "18",
         "under_represented": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    community = initiative.micro_communities.get(name="Youth")
    assert community.under_represented
    response = client_a.post(
        reverse("listening:session_create", args=[initiative.pk]),
        {"title": "Youth circle", "micro_community": community.pk, "modality": "virtual",
         "meeting_link": "https://meet.example.org/x", "starts_at": "2026-12-01T18:00",
         "language": "es", "capacity": "12", "registration_open": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    assert initiative.sessions.get(title="Youth circle").micro_community == community


def test_session_create_virtual_without_link_is_refused(client_a, initiative):
    response = client_a.post(
        reverse("listening:session_create", args=[initiative.pk]),
        {"title": "X", "modality": "virtual", "starts_at": "2026-12-01T18:00",
         "language": "en", "capacity": "12"},
    )  # fmt: skip
    assert response.status_code == 200 and "meeting link" in response.content.decode()


def test_micro_community_import_all_or_nothing(client_a, initiative):
    url = reverse("listening:community_add", args=[initiative.pk])
    bad = "name,kind,population,share,under_represented\nNorth,neighborhood,100,10,no\n,x,1,1,\n"
    client_a.post(url, {"import-file": SimpleUploadedFile("c.csv", bad.encode())})
    assert not initiative.micro_communities.exists()
    good = (
        "name,kind,population,share,under_represented\n"
        "North,neighborhood,100,10,no\nFaith,stakeholder,,5,yes\n"
    )
    client_a.post(url, {"import-file": SimpleUploadedFile("c.csv", good.encode())})
    assert initiative.micro_communities.count() == 2


def test_session_edit_changes_capacity_and_lists_registrations(client_a, session):
    services.registration_submit(
        session=session, first_name="Rosa", contact="", needs="", submission_key="k9"
    )
    url = reverse("listening:session_edit", args=[session.pk])
    assert client_a.get(url).status_code == 200
    response = client_a.post(
        url,
        {"title": session.title, "micro_community": session.micro_community.pk,
         "modality": "in_person", "place": "Library", "starts_at": "2026-12-01T18:00",
         "language": "en", "capacity": "30"},
    )  # fmt: skip
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.capacity == 30 and session.place == "Library"
    assert "Rosa" in client_a.get(session.get_absolute_url()).content.decode()
