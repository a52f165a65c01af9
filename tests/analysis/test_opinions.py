"""Polis math on hand-checkable matrices: stats, groups, consensus, divisive, common ground."""

import math

import numpy as np
import pytest

from peacekit.analysis import opinions as op

NAN = np.nan


def polarized(n_per_side: int = 6) -> np.ndarray:
    """Two camps: statements 0-2 split them, 3-5 split them the other way, 6 unites them."""
    camp_a = [1, 1, 1, -1, -1, -1, 1]
    camp_b = [-1, -1, -1, 1, 1, 1, 1]
    rows = [camp_a] * n_per_side + [camp_b] * n_per_side
    matrix = np.array(rows, dtype=float)
    matrix[1, 2] = 0  # a pass
    matrix[n_per_side + 1, 4] = 0
    return matrix


def test_build_vote_matrix_keeps_latest_vote_and_passes():
    votes = op.build_vote_matrix(
        participant_ids=["p1", "p1", "p2", "p2"],
        statement_ids=[10, 10, 10, 11],
        votes=[1, -1, 0, 1],
        timestamps=[5, 9, 1, 2],
    )
    assert votes.shape == (2, 2)
    dense = votes.matrix.toarray()
    assert dense[0].tolist() == [-1, 0]  # p1 changed agree → disagree at t=9
    agree, disagree, seen = votes.masks()
    assert seen.sum() == 3  # p2's pass on 10 counts as seen
    assert votes.votes_per_participant().tolist() == [1, 2]


def test_build_vote_matrix_rejects_bad_votes():
    with pytest.raises(ValueError):
        op.build_vote_matrix([1], [1], [2])
    with pytest.raises(ValueError):
        op.build_vote_matrix([1, 2], [1], [1])


def test_group_stats_by_hand():
    # S0: p0 agree, p1 agree, p2 disagree, p3 pass. Groups {p0, p1} and {p2, p3}.
    votes = op.vote_matrix_from_dense(np.array([[1, 1], [1, NAN], [-1, 1], [0, 1]]))
    stats = op.group_statement_stats(votes, np.array([0, 0, 1, 1]))
    assert stats.n_agree[:, 0].tolist() == [2, 0]
    assert stats.n_seen[:, 0].tolist() == [2, 2]
    assert stats.p_agree[0, 0] == pytest.approx(3 / 4)  # (2 + 1) / (2 + 2)
    assert stats.p_agree[1, 0] == pytest.approx(1 / 4)
    assert stats.p_disagree[1, 0] == pytest.approx(2 / 4)
    assert stats.p_agree_test[0, 0] == pytest.approx(2 * math.sqrt(3) * (3 / 3 - 0.5))
    assert stats.r_agree[0, 0] == pytest.approx(3.0)  # 0.75 / 0.25
    # Two-proportion z: (3/3 - 1/3) / sqrt(2/3 · 1/3 · (1/3 + 1/3))
    assert stats.r_agree_test[0, 0] == pytest.approx((2 / 3) / math.sqrt(4 / 27))
    assert stats.consensus_agree[0] == pytest.approx(0.75 * 0.25)


def test_unclustered_participants_count_in_no_group():
    votes = op.vote_matrix_from_dense(np.array([[1], [1], [-1]]))
    stats = op.group_statement_stats(votes, np.array([0, -1, 1]))
    assert stats.n_seen[:, 0].tolist() == [1, 1]


def test_opinion_groups_find_the_two_camps_deterministically():
    votes = op.vote_matrix_from_dense(polarized())
    first = op.OpinionGroups(random_state=0).fit(votes)
    second = op.OpinionGroups(random_state=0).fit(votes)
    assert first.n_groups_ == 2
    assert len(set(first.labels_[:6])) == 1 and len(set(first.labels_[6:])) == 1
    assert first.labels_[0] != first.labels_[6]
    assert np.array_equal(first.labels_, second.labels_)
    other_seed = op.OpinionGroups(random_state=3).fit(votes)
    assert np.array_equal(first.labels_, other_seed.labels_)  # largest group is 0, ties by x


def test_pca_equals_dense_mean_imputed_pca_with_polis_scaling():
    rng = np.random.default_rng(1)
    dense = rng.choice([-1.0, 0.0, 1.0], size=(30, 8))
    dense[rng.random(dense.shape) < 0.3] = NAN
    model = op.OpinionGroups(random_state=0).fit(op.vote_matrix_from_dense(dense))
    means = np.nanmean(dense, axis=0)
    centred = np.where(np.isnan(dense), 0.0, dense - means)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    n_votes = (~np.isnan(dense)).sum(axis=1)
    expected = centred @ vt[:2].T * np.sqrt(8 / n_votes)[:, None]
    for k in range(2):
        assert np.allclose(np.abs(model.projection_[:, k]), np.abs(expected[:, k]), atol=1e-6)


def test_min_votes_filter_leaves_light_voters_unclustered():
    matrix = polarized()
    matrix[0, :4] = NAN  # participant 0 now has 3 votes < min(7, 7)
    model = op.OpinionGroups().fit(op.vote_matrix_from_dense(matrix))
    assert model.labels_[0] == -1 and not model.in_conversation_[0]
    assert (model.labels_[1:] >= 0).all()


def test_report_representative_consensus_and_divisive():
    votes = op.vote_matrix_from_dense(polarized(), statement_ids=list("abcdefg"))
    report = op.analyze_votes(votes)
    assert report.n_groups == 2
    group_a = report.group_labels[0]
    rep_a = report.representative[group_a]
    assert {f.statement_id for f in rep_a if f.direction == "agree"} <= {"a", "b", "c", "g"}
    assert all(f.repness_test > op.Z_90 or f.detail.get("best_agree") for f in rep_a)
    assert report.consensus["agree"][0].statement_id == "g"
    assert report.consensus["disagree"] == []
    assert report.divisive[0].statement_id in set("abcdef")
    assert "g" not in {f.statement_id for f in report.divisive[:6]}


def test_moderated_statements_are_never_picked():
    votes = op.vote_matrix_from_dense(
        polarized(), statement_ids=list("abcdefg"), moderated_statement_ids=["g", "a"]
    )
    report = op.analyze_votes(votes)
    picked = {f.statement_id for fs in report.representative.values() for f in fs}
    picked |= {f.statement_id for fs in report.consensus.values() for f in fs}
    picked |= {f.statement_id for f in report.divisive}
    assert not picked & {"a", "g"}


def test_common_ground_between_residents_and_officers():
    matrix = polarized()
    votes = op.vote_matrix_from_dense(matrix, statement_ids=list("abcdefg"))
    residents = np.arange(12) < 6
    officers = ~residents
    found = op.common_ground(votes, residents, officers)
    assert [f.statement_id for f in found if f.direction == "agree"] == ["g"]
    assert found[0].detail["first"]["p"] > 0.5 and found[0].detail["second"]["p"] > 0.5
    with pytest.raises(ValueError):
        op.common_ground(votes, residents, residents)
    assert op.common_ground(votes, np.array([], dtype=int), officers) == []
