"""core.sql.insert_objects: rows written without the ORM compiler keep the model's rules."""

import pytest
from django.db import connection

from peacekit.core.models import AuditEvent
from peacekit.core.sql import insert_objects
from peacekit.listening.models import Statement, StatementRaw
from tests.listening.factories import initiative as make_initiative

pytestmark = pytest.mark.django_db


def test_defaults_and_json_are_written_like_save():
    event = AuditEvent(action="bench.test", metadata={"count": 2})
    (written,) = insert_objects([event])
    assert written is event and event.pk is not None and not event._state.adding
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.metadata == {"count": 2}
    assert stored.created_at is not None and stored.actor_label == ""


def test_several_rows_get_their_own_keys():
    events = [AuditEvent(action=f"bench.{n}") for n in range(3)]
    insert_objects(events)
    assert [AuditEvent.objects.get(pk=e.pk).action for e in events] == [e.action for e in events]


def test_conflict_skips_existing_rows_and_returns_only_new_ones(org_a):
    initiative = make_initiative(org_a)
    first = Statement(initiative=initiative, source="public", submission_key="k1")
    insert_objects([first], conflict=["submission_key"])
    again = Statement(initiative=initiative, source="public", submission_key="k1")
    other = Statement(initiative=initiative, source="public", submission_key="k2")
    written = insert_objects([again, other], conflict=["submission_key"])
    assert written == [other] and again.pk is None
    assert Statement.objects.filter(submission_key="k1").count() == 1
    stored = Statement.objects.get(pk=other.pk)
    assert stored.status == Statement.Status.PENDING  # the field default
    assert stored.created_at is not None and stored.updated_at is not None  # auto_now(_add)


def test_encrypted_fields_are_encrypted_at_rest(org_a):
    initiative = make_initiative(org_a)
    (statement,) = insert_objects([Statement(initiative=initiative, source="public",
                                             submission_key="k3")])  # fmt: skip
    insert_objects([StatementRaw(statement=statement, text="Call Ana at 555-0100")])
    assert StatementRaw.objects.get(statement=statement).text == "Call Ana at 555-0100"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT text FROM {StatementRaw._meta.db_table} WHERE statement_id = %s",  # noqa: S608
            [statement.pk],
        )
        (stored,) = cursor.fetchone()
    assert "Ana" not in stored and "555" not in stored


def test_many_rows_go_in_batches_the_database_accepts():
    events = [AuditEvent(action="bench.batch", metadata={"n": n}) for n in range(1500)]
    insert_objects(events)
    assert len({e.pk for e in events}) == 1500
    stored = dict(AuditEvent.objects.filter(action="bench.batch").values_list("pk", "metadata"))
    assert all(stored[e.pk] == e.metadata for e in events)
