"""Research API: statute collections and their reviewed findings (program staff only)."""

from __future__ import annotations

from ninja import Router, Schema

from peacekit.core.access import require_program_staff
from peacekit.research import selectors
from peacekit.research.access import access_corpus

router = Router(tags=["research"])


class CorpusOut(Schema):
    id: int
    name: str
    is_fictional: bool
    sections: int
    jurisdictions: int
    reviewed: int


class JurisdictionOut(Schema):
    code: str
    name: str
    kind: str
    reviewed_class: str
    proposed_class: str
    confidence: float | None
    status: str
    sections: int


class ShareOut(Schema):
    class_: str
    label: str
    count: int
    total: int
    percent: int | None


class FindingsOut(Schema):
    corpus: CorpusOut
    reviewed: int
    pending: int
    uses_for_police_percent: int | None
    some_capacity_percent: int | None
    shares: list[ShareOut]
    jurisdictions: list[JurisdictionOut]


def _corpus_out(c) -> CorpusOut:
    return CorpusOut(
        id=c.pk, name=c.name, is_fictional=c.is_fictional, sections=c.n_sections,
        jurisdictions=c.n_classified, reviewed=c.n_reviewed,
    )  # fmt: skip


@router.get("/corpora", response=list[CorpusOut], summary="Statute collections")
def corpora(request):
    require_program_staff(request.user)
    return [_corpus_out(c) for c in selectors.corpus_list(user=request.user)[:200]]


@router.get(
    "/corpora/{corpus_id}/findings",
    response=FindingsOut,
    summary="Reviewed classes by jurisdiction and the shares per class",
)
def findings(request, corpus_id: int):
    corpus = access_corpus(request.user, corpus_id)
    counted = selectors.corpus_list(user=request.user).get(pk=corpus.pk)
    result = selectors.findings(corpus=corpus)
    return FindingsOut(
        corpus=_corpus_out(counted),
        reviewed=result.reviewed,
        pending=result.pending,
        uses_for_police_percent=result.uses_for_police["percent"],
        some_capacity_percent=result.some_capacity["percent"],
        shares=[
            ShareOut(class_=s["class"], label=str(s["label"]), count=s["count"],
                     total=s["total"], percent=s["percent"])
            for s in result.shares
        ],
        jurisdictions=[
            JurisdictionOut(
                code=r["jurisdiction"].code, name=r["jurisdiction"].name,
                kind=r["jurisdiction"].kind, reviewed_class=r["final_class"],
                proposed_class=r["classification"].proposed_class if r["classification"] else "",
                confidence=r["classification"].confidence if r["classification"] else None,
                status=r["classification"].status if r["classification"] else "",
                sections=r["sections"],
            )
            for r in result.rows
        ],
    )  # fmt: skip
