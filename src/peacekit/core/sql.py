"""Inserting model instances without the ORM's query compiler.

Public submission endpoints write a few rows per request; on a 2-core server the ORM's SQL
compilation (not the database) was most of their cost. `insert_objects` writes instances of
one model with a cached INSERT statement, while keeping the model's field rules: defaults,
`auto_now`/`auto_now_add` (``pre_save``) and each field's database preparation (so encrypted
fields are encrypted, JSON is dumped, datetimes adapted) exactly as `Model.save` would.

What it does not do: signals (`pre_save`/`post_save`), `Model.save` overrides, or model
validation. Use it only for append-only rows whose model has none of those (statements and
their raw text, survey answers, 360 item scores, audit events); everything else stays on the
ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from django.db import connections, models


@lru_cache(maxsize=256)
def _plan(model: type[models.Model], vendor: str, rows: int, conflict: tuple[str, ...]):
    meta = model._meta
    fields = [f for f in meta.concrete_fields if not (f.primary_key and f.auto_created)]
    q = _quote
    columns = ", ".join(q(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    sql = f"INSERT INTO {q(meta.db_table)} ({columns}) VALUES " + ", ".join([one] * rows)  # noqa: S608
    if conflict:
        target = ", ".join(q(meta.get_field(name).column) for name in conflict)
        sql += f" ON CONFLICT ({target}) DO NOTHING"
    pk = meta.pk
    returns_pk = pk.auto_created or isinstance(pk, models.AutoField)
    if returns_pk:
        sql += f" RETURNING {q(pk.column)}"
    return sql, fields, returns_pk


def _quote(name: str) -> str:
    """SQLite and PostgreSQL quote identifiers alike (what both backends' quote_name do)."""
    return name if name.startswith('"') else f'"{name}"'


def insert_objects(
    objs: Sequence[models.Model], *, using: str = "default", conflict: Sequence[str] = ()
) -> list[models.Model]:
    """INSERT `objs` (instances of one model) in one statement; return those written.

    With `conflict` (field names of a unique constraint) rows that would break it are skipped
    (ON CONFLICT DO NOTHING) and left out of the result. Auto primary keys are set on the
    written instances, which are then in the same state as after `Model.save`. Large lists go
    in batches the backend accepts. SQLite ≥ 3.35 or PostgreSQL (both support RETURNING).
    """
    if not objs:
        return []
    connection = connections[using]
    model = type(objs[0])
    fields = _plan(model, connection.vendor, 1, tuple(conflict))[1]
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    if len(objs) > size:
        written = []
        for start in range(0, len(objs), size):
            written += insert_objects(objs[start : start + size], using=using, conflict=conflict)
        return written
    sql, fields, returns_pk = _plan(model, connection.vendor, len(objs), tuple(conflict))
    params = []
    for obj in objs:
        for field in fields:
            params.append(field.get_db_prep_save(field.pre_save(obj, True), connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall() if returns_pk else None
    if returns_pk and conflict:
        # With skipped rows RETURNING gives fewer ids, in no promised order: match the
        # written rows by their conflict values.
        written = _match_written(model, objs, conflict, [r[0] for r in returned], using)
    else:
        written = list(objs)
        if returns_pk:
            for obj, row in zip(written, returned, strict=True):
                obj.pk = row[0]
    for obj in written:
        obj._state.adding = False
        obj._state.db = using
    return written


def _match_written(model, objs, conflict, ids, using) -> list[models.Model]:
    if not ids:
        return []
    if len(ids) == len(objs) == 1:
        objs[0].pk = ids[0]
        return [objs[0]]
    names = list(conflict)
    found = model._default_manager.using(using).filter(pk__in=ids).values_list("pk", *names)
    by_key = {tuple(row[1:]): row[0] for row in found}
    written = []
    for obj in objs:
        key = tuple(getattr(obj, model._meta.get_field(n).attname) for n in names)
        if key in by_key:
            obj.pk = by_key[key]
            written.append(obj)
    return written
