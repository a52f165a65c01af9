"""URL parameters for the cross-organization walk: research objects owned by organization A."""

from peacekit.research.models import ImportRun, JurisdictionClassification
from tests.research.helpers import DEFINED_TEXT, make_corpus


def _corpus_obj(org_a, owner_a):
    from peacekit.research.models import StatuteCorpus

    corpus = StatuteCorpus.objects.filter(organization=org_a).first()
    if corpus is None:
        corpus = make_corpus(
            org_a,
            owner_a,
            name="ORGA-SECRET statutes",
            rows=[["KY", "ORGA-SECRET 1", "", DEFINED_TEXT]],
        )
    return corpus


def _corpus(org_a, owner_a):
    return _corpus_obj(org_a, owner_a).pk


def _classification(org_a, owner_a):
    return JurisdictionClassification.objects.get(corpus=_corpus_obj(org_a, owner_a)).pk


def _import_run(org_a, owner_a):
    return ImportRun.objects.filter(corpus=_corpus_obj(org_a, owner_a)).first().pk


KWARG_FACTORIES = {
    "corpus_id": _corpus,
    "classification_id": _classification,
    "import_run_id": _import_run,
}
