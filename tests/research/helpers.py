"""Small statute texts written for the tests (not real statute text) and upload helpers."""

from __future__ import annotations

import csv
import io

from peacekit.research import services
from peacekit.research.parsing import read_uploads

DEFINED_TEXT = '"Peace officer" means a sheriff, deputy sheriff or police officer of a city.'
LIMITED_TEXT = "The following persons are peace officers: game wardens and park rangers."
NOT_USED_TEXT = "A law enforcement officer may stop a vehicle. A police officer may arrest."


def sections_csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["jurisdiction", "citation", "heading", "text"])
    writer.writerows(rows)
    return out.getvalue().encode()


def make_corpus(organization, actor=None, name="Test collection", rows=None):
    corpus = services.corpus_create(actor=actor, organization=organization, name=name)
    if rows:
        parsed = read_uploads([("sections.csv", sections_csv(rows))])
        services.import_run_create(actor=actor, corpus=corpus, parsed=parsed)
    return corpus
