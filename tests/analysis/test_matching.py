"""Coach matching: optimal under capacities and conflicts, with reasons staff can read."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from peacekit.analysis.matching import Coach, Coachee, CoachMatcher, MatchWeights, fit_matrix

AREAS = ["de_escalation", "community_engagement", "wellness", "budgeting"]


def _coach(cid, expertise, capacity=1, **kw):
    return Coach(id=cid, expertise=expertise, capacity=capacity, **kw)


def _leader(pid, needs, **kw):
    return Coachee(id=pid, needs=needs, **kw)


def _random_instance(rng, m, c):
    coaches = [
        _coach(
            f"c{j}",
            {a: float(rng.uniform(0, 1)) for a in rng.choice(AREAS, 2, replace=False)},
            capacity=int(rng.integers(1, 3)),
            roles=frozenset(rng.choice(["sergeant", "chief"], 1)),
            languages=frozenset({"en", "es"} if rng.random() < 0.5 else {"en"}),
            region=str(rng.choice(["north", "south"])),
            virtual=bool(rng.random() < 0.5),
            conflicts=frozenset({f"agency-{int(rng.integers(0, 3))}"}),
        )
        for j in range(c)
    ]
    leaders = [
        _leader(
            f"p{i}",
            {a: float(rng.uniform(0, 1)) for a in rng.choice(AREAS, 2, replace=False)},
            role=str(rng.choice(["sergeant", "chief"])),
            agency=f"agency-{int(rng.integers(0, 3))}",
            languages=frozenset({"es"} if rng.random() < 0.3 else {"en"}),
            region=str(rng.choice(["north", "south"])),
            virtual_ok=bool(rng.random() < 0.7),
        )
        for i in range(m)
    ]
    return leaders, coaches


def _brute_force(fit, feasible, capacity):
    """Best (matched count, total fit) over every capacity-respecting assignment."""
    m, c = fit.shape
    best = (0, 0.0)
    for choice in itertools.product(range(-1, c), repeat=m):
        used = np.bincount([j for j in choice if j >= 0], minlength=c)
        if np.any(used > capacity):
            continue
        if any(j >= 0 and not feasible[i, j] for i, j in enumerate(choice)):
            continue
        pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
        score = (len(pairs), round(sum(fit[i, j] for i, j in pairs), 9))
        best = max(best, score)
    return best


@pytest.mark.parametrize("seed", range(8))
def test_coach_matcher_optimal_equals_brute_force_and_beats_greedy(seed):
    rng = np.random.default_rng(seed)
    leaders, coaches = _random_instance(rng, 5, 3)
    optimal = CoachMatcher().fit(leaders, coaches)
    fit, feasible = optimal.fit_, optimal.feasible_
    capacity = np.array([c.capacity for c in coaches])
    count, total = _brute_force(fit, feasible, capacity)
    result = optimal.result_
    assert len(result.matches) == count
    assert result.total_fit == pytest.approx(total, abs=1e-9)
    greedy = CoachMatcher(method="greedy").fit(leaders, coaches).result_
    assert len(greedy.matches) <= count
    if len(greedy.matches) == count:
        assert greedy.total_fit <= result.total_fit + 1e-9


def test_coach_matcher_respects_capacity_conflicts_and_language():
    rng = np.random.default_rng(42)
    leaders, coaches = _random_instance(rng, 40, 12)
    result = CoachMatcher().fit(leaders, coaches, forbidden=[("p0", "c0")]).result_
    by_id = {c.id: c for c in coaches}
    leaders_by_id = {p.id: p for p in leaders}
    load: dict[str, int] = {}
    for match in result.matches:
        coach, leader = by_id[match.coach_id], leaders_by_id[match.coachee_id]
        load[coach.id] = load.get(coach.id, 0) + 1
        assert leader.agency not in coach.conflicts, "a coach was matched inside a conflict"
        assert leader.languages & coach.languages, "no shared language"
        assert leader.region == coach.region or (leader.virtual_ok and coach.virtual)
        assert (match.coachee_id, match.coach_id) != ("p0", "c0")
    assert all(load[cid] <= by_id[cid].capacity for cid in load)
    assert len(result.matches) + len(result.unmatched) == 40


def test_coach_matcher_reason_names_the_strongest_factors():
    coaches = [
        _coach("ana", {"de_escalation": 1.0, "wellness": 0.8}, roles=frozenset({"chief"}),
               agency_types=frozenset({"sheriff"}), region="west"),
        _coach("bo", {"budgeting": 1.0}, region="east"),
    ]  # fmt: skip
    leader = _leader(
        "lee",
        {"de_escalation": 0.9, "wellness": 0.6},
        role="chief",
        agency_type="sheriff",
        region="west",
    )
    match = CoachMatcher().fit([leader], coaches).result_.matches[0]
    assert match.coach_id == "ana"
    assert "de escalation" in match.reason and "wellness" in match.reason
    assert "same region (west)" in match.reason
    assert match.fit == pytest.approx(sum(match.contributions.values()))


def test_coach_matcher_explains_why_a_coachee_is_unmatched():
    coaches = [_coach("en-only", {"wellness": 1}, region="west", capacity=1)]
    leaders = [
        _leader("spanish", {"wellness": 1}, languages=frozenset({"es"}), region="west"),
        _leader("first", {"wellness": 1}, region="west"),
        _leader("second", {"wellness": 0.5, "budgeting": 1}, region="west"),
        _leader("far", {"wellness": 1}, region="east", virtual_ok=False),
        _leader("conflicted", {"wellness": 1}, region="west", agency="pd-9"),
    ]
    coaches.append(
        _coach("x", {"wellness": 1}, region="west", capacity=0, conflicts=frozenset({"pd-9"}))
    )
    coaches[0] = Coach(**{**coaches[0].__dict__, "conflicts": frozenset({"pd-9"})})
    result = CoachMatcher().fit(leaders, coaches).result_
    reasons = {u.coachee_id: u.reason for u in result.unmatched}
    assert result.by_coachee()["first"].coach_id == "en-only"
    assert reasons["spanish"] == "no coach speaks es"
    assert reasons["second"] == "all 2 compatible coaches are at capacity"  # x has no room
    assert reasons["far"].startswith("no coach in east")
    assert "conflict" in reasons["conflicted"]


def test_coach_matcher_soft_language_allows_a_match_at_lower_fit():
    coaches = [_coach("en-only", {"wellness": 1}, region="west")]
    leader = _leader("spanish", {"wellness": 1}, languages=frozenset({"es"}), region="west")
    hard = CoachMatcher().fit([leader], coaches).result_
    soft = CoachMatcher(language="soft").fit([leader], coaches).result_
    assert not hard.matches and len(soft.matches) == 1
    # needs 0.5 + location 0.15; no shared language, role or agency type to add.
    assert soft.matches[0].fit == pytest.approx(0.65)


def test_coach_matcher_keeps_staff_confirmed_pairs_on_rerun():
    rng = np.random.default_rng(5)
    leaders, coaches = _random_instance(rng, 10, 6)
    first = CoachMatcher().fit(leaders, coaches).result_
    chosen = first.matches[0]
    other = next(c.id for c in coaches if c.id != chosen.coach_id)
    rerun = CoachMatcher().fit(leaders, coaches, fixed={chosen.coachee_id: other}).result_
    kept = rerun.by_coachee()[chosen.coachee_id]
    assert kept.coach_id == other and kept.fixed
    assert kept.reason.startswith("Kept as confirmed by staff")
    with pytest.raises(ValueError, match="conflict"):
        CoachMatcher().fit(leaders, coaches, fixed={"p0": "c1"}, forbidden=[("p0", "c1")])


def test_coach_matcher_min_fit_and_weights_are_configurable():
    coaches = [_coach("c", {"budgeting": 1}, region="west")]
    leader = _leader("p", {"wellness": 1}, region="west")
    assert (
        CoachMatcher(min_fit=0.6)
        .fit([leader], coaches)
        .result_.unmatched[0]
        .reason.startswith("no compatible coach reaches the minimum fit")
    )
    fit, feasible = fit_matrix([leader], coaches, MatchWeights(needs=1, role=0, agency_type=0,
                                                               language=0, location=0))  # fmt: skip
    assert fit[0, 0] == pytest.approx(0.0) and feasible[0, 0]


def test_coach_matcher_rejects_bad_options_and_duplicate_ids():
    with pytest.raises(ValueError):
        CoachMatcher(method="random").fit([], [])
    with pytest.raises(ValueError):
        CoachMatcher().fit([_leader("a", {}), _leader("a", {})], [])
