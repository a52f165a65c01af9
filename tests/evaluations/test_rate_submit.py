"""The public answer POST: its shortcut for valid submissions, the single-use link, its writes."""

import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from peacekit.core.models import AuditEvent
from peacekit.evaluations import services
from peacekit.evaluations.forms import RatingForm
from peacekit.evaluations.models import Comment, ItemScore, Rater, RatingResponse
from tests.evaluations.helpers import build_cycle


def _open_link(org, admin):
    cycle, tokens = build_cycle(org, admin, respond=False)
    rater_id, token = next(iter(tokens.items()))
    return cycle, Rater.objects.get(pk=rater_id), token


def _data(items, value="4", **extra):
    data = {f"item_{item.pk}": value for item in items}
    data.update(extra)
    return data


def _query(data: dict) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query


def _variants(items):
    first, second = f"item_{items[0].pk}", f"item_{items[1].pk}"
    full = _data(items, strengths="  Listens well. ", develop="")
    mixed = {**full, first: "na", second: "1", "strengths": "\n", "develop": " Delegate. "}
    without_first = {k: v for k, v in full.items() if k != first}
    return {
        "all fours": full,
        "mixed with not observed": mixed,
        "all not observed": _data(items, "na"),
        "no comments sent": _data(items, "5"),
        "one answer missing": without_first,
        "one answer empty": {**full, first: ""},
        "one answer out of range": {**full, first: "6"},
        "one answer padded": {**full, first: " 4"},
        "one answer upper case": {**full, first: "NA"},
        "repeated answer, last one valid": {**full, first: ["7", "3"]},
        "repeated answer, last one invalid": {**full, first: ["3", "7"]},
        "unknown extra field": {**full, "item_999999": "9", "lang": "es"},
        "nothing": {},
    }


def test_valid_submission_agrees_with_the_bound_form(admin_a, org_a):
    cycle, _rater, _token = _open_link(org_a, admin_a)
    items = services.items_for(cycle)
    for name, data in _variants(items).items():
        query = _query(data)
        form = RatingForm(query, items=items)
        quick = RatingForm.valid_submission(query, items)
        if form.is_valid():
            expected = (
                form.answers(), form.cleaned_data["strengths"], form.cleaned_data["develop"]
            )  # fmt: skip
            # The shortcut may pass a valid submission on to the form, never change it.
            assert quick in (None, expected), name
            if name in ("all fours", "mixed with not observed", "all not observed"):
                assert quick == expected, name
        else:
            assert quick is None, name


def test_valid_submission_reads_not_observed_as_none_and_strips_comments(admin_a, org_a):
    cycle, _rater, _token = _open_link(org_a, admin_a)
    items = services.items_for(cycle)
    data = _data(items, strengths="  Calm. ", develop="\t")
    data[f"item_{items[0].pk}"] = "na"
    answers, strengths, develop = RatingForm.valid_submission(_query(data), items)
    assert answers[items[0].pk] is None and answers[items[1].pk] == 4
    assert (strengths, develop) == ("Calm.", "")


def test_rate_post_writes_each_row_once_and_a_replay_writes_nothing(client, admin_a, org_a):
    cycle, rater, token = _open_link(org_a, admin_a)
    items = services.items_for(cycle)
    data = _data(items, strengths="Listens well.", develop="Delegate more.")
    data[f"item_{items[0].pk}"] = "na"
    data[f"item_{items[1].pk}"] = "2"
    url = reverse("evaluations:rate", args=[token])
    audits = AuditEvent.objects.filter(action="evaluation_response.submit").count()

    first = client.post(url, data)
    assert first.status_code == 302
    assert "Thank you" in client.get(first["Location"]).content.decode()
    response = RatingResponse.objects.get(cycle=cycle)
    assert (response.candidate_id, response.group) == (rater.candidate_id, rater.group)
    assert response.organization_id == rater.organization_id
    scores = dict(ItemScore.objects.filter(response=response).values_list("item_id", "score"))
    assert scores == {
        item.pk: None if i == 0 else 2 if i == 1 else 4 for i, item in enumerate(items)
    }
    assert sorted(Comment.objects.filter(response=response).values_list("kind", "raw")) == [
        ("develop", "Delegate more."), ("strength", "Listens well."),
    ]  # fmt: skip
    rater.refresh_from_db()
    assert rater.status == Rater.Status.COMPLETED and rater.finished_at is None

    replay = client.post(url, data)
    assert replay.status_code == 410 and "Already answered" in replay.content.decode()
    assert RatingResponse.objects.filter(cycle=cycle).count() == 1
    assert ItemScore.objects.count() == len(items)
    assert Comment.objects.count() == 2
    assert AuditEvent.objects.filter(action="evaluation_response.submit").count() == audits + 1


def test_submit_after_another_submit_claimed_the_link_writes_nothing(admin_a, org_a):
    """Two submits that both looked the link up as open: only the first one writes."""
    cycle, _rater, token = _open_link(org_a, admin_a)
    rater, state = services.rater_by_token(token=token)
    items = services.form_items(rater.cycle)
    answers = {item.pk: 3 for item in items}
    loaded = (rater, items)
    assert services.response_submit(token=token, answers=answers, loaded=loaded) == (True, "open")
    assert services.response_submit(token=token, answers=answers, loaded=loaded) == (False, "used")
    assert RatingResponse.objects.filter(cycle=cycle).count() == 1
    assert ItemScore.objects.count() == len(items)


def test_submit_after_the_link_was_declined_is_refused_and_writes_nothing(admin_a, org_a):
    cycle, _rater, token = _open_link(org_a, admin_a)
    rater, _state = services.rater_by_token(token=token)
    items = services.form_items(rater.cycle)
    Rater.objects.filter(pk=rater.pk).update(status=Rater.Status.DECLINED)
    with pytest.raises(ValidationError):
        services.response_submit(
            token=token, answers={item.pk: 3 for item in items}, loaded=(rater, items)
        )
    assert not RatingResponse.objects.exists() and not ItemScore.objects.exists()
    assert Rater.objects.get(pk=rater.pk).status == Rater.Status.DECLINED


def test_rate_post_refused_by_the_service_shows_the_form_with_the_error(client, admin_a, org_a):
    cycle, rater, token = _open_link(org_a, admin_a)
    items = services.items_for(cycle)
    url = reverse("evaluations:rate", args=[token])
    response = client.post(url, _data(items, "na", strengths="Kind."))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rate at least one behaviour you have observed." in body
    assert 'value="na" checked' in body and "Kind." in body  # the answers are kept
    assert not RatingResponse.objects.exists() and not Comment.objects.exists()
    assert Rater.objects.get(pk=rater.pk).status == Rater.Status.INVITED


def test_rate_post_with_a_missing_answer_marks_that_item(client, admin_a, org_a):
    cycle, _rater, token = _open_link(org_a, admin_a)
    items = services.items_for(cycle)
    data = _data(items)
    del data[f"item_{items[3].pk}"]
    response = client.post(reverse("evaluations:rate", args=[token]) + "?lang=es", data)
    body = response.content.decode()
    assert response.status_code == 200 and body.count("usa-form-group--error") == 1
    assert items[3].text_es in body
    assert not RatingResponse.objects.exists()


def test_form_items_are_read_once_per_framework(admin_a, org_a, django_assert_num_queries):
    cycle, rater, _token = _open_link(org_a, admin_a)
    cycle = rater.cycle
    first = services.form_items(cycle)
    assert [i.pk for i in first] == [i.pk for i in services.items_for(cycle)]
    assert first[0].competency.name  # loaded with the items
    with django_assert_num_queries(0):
        assert services.form_items(cycle) is first


def test_rater_by_token_hash_loads_what_select_related_loads(admin_a, org_a):
    from peacekit.core.services import hash_token
    from peacekit.evaluations import selectors

    cycle, rater, token = _open_link(org_a, admin_a)
    cycle.competency_weights = {"listening": 2}
    cycle.save()
    fast = selectors.rater_by_token_hash(hash_token(token))
    orm = Rater.objects.select_related("candidate", "cycle", "cycle__framework").get(pk=rater.pk)

    def values(obj):
        return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}

    assert values(fast) == values(orm)
    assert values(fast.candidate) == values(orm.candidate)
    assert values(fast.cycle) == values(orm.cycle)
    assert values(fast.cycle.framework) == values(orm.cycle.framework)
    assert fast.expires_at.tzinfo is not None and fast.cycle.competency_weights == {"listening": 2}
    assert fast._state.adding is False and fast._state.db == "default"
    assert selectors.rater_by_token_hash(hash_token("not-a-token")) is None


def test_a_long_form_stores_every_score(admin_a, org_a):
    """More answers than one INSERT takes on SQLite (999 parameters) are all stored."""
    from peacekit.evaluations.models import Item

    cycle, _rater, token = _open_link(org_a, admin_a)
    competency = services.items_for(cycle)[0].competency
    Item.objects.bulk_create(
        Item(competency=competency, text=f"Extra behaviour {n}", order=100 + n) for n in range(620)
    )
    items = services.items_for(cycle)
    answers = {item.pk: (None if n % 7 == 0 else 1 + n % 5) for n, item in enumerate(items)}
    assert services.response_submit(token=token, answers=answers) == (True, "open")
    stored = dict(ItemScore.objects.values_list("item_id", "score"))
    assert len(stored) == len(items) == 660 and stored == answers


@pytest.mark.parametrize(("lang", "words"), [("en", "Thank you"), ("es", "Gracias")])
def test_an_answer_lands_on_the_thanks_page_and_reloading_it_sends_nothing(
    client, admin_a, org_a, lang, words
):
    cycle, tokens = build_cycle(org_a, admin_a, respond=False)
    items = services.items_for(cycle)
    url = reverse("evaluations:rate", args=[next(iter(tokens.values()))]) + f"?lang={lang}"
    response = client.post(url, _data(items))
    thanks = reverse("evaluations:rate_thanks") + f"?lang={lang}"
    assert response.status_code == 302 and response["Location"] == thanks
    for _reload in range(2):
        page = client.get(thanks)
        assert page.status_code == 200 and words in page.content.decode()
    assert RatingResponse.objects.filter(cycle=cycle).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_of_one_link_write_once(admin_a, org_a):
    """Four submits of one link at once (each looked it up as open): one writes, three are
    told it is used. Needs a database the threads share (PostgreSQL in CI)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("threads share no in-memory SQLite test database")
    cycle, _rater, token = _open_link(org_a, admin_a)
    rater, _state = services.rater_by_token(token=token)
    items = services.form_items(rater.cycle)
    answers = {item.pk: 4 for item in items}
    barrier, results, errors = threading.Barrier(4), [], []

    def submit():
        try:
            barrier.wait(timeout=10)
            results.append(
                services.response_submit(token=token, answers=answers, loaded=(rater, items))
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(results) == [(False, "used")] * 3 + [(True, "open")]
    assert RatingResponse.objects.filter(cycle=cycle).count() == 1
    assert ItemScore.objects.count() == len(items)
