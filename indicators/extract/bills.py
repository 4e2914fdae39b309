"""Bills before the State Duma on military service: one observation per stage.

A bill appears in the Duma's database weeks before it is signed; each step it takes
(introduced, a reading passed, the Federation Council, signed) is its own observation, so
the marker can escalate one episode as the bill moves. Only bills on the laws of military
service (or on calling reservists) are kept: what `extract.acts.classify` reads as a
service law from the bill's name and annotation.
"""

from __future__ import annotations

from mobwatch.indicators.extract.acts import ActKind, classify
from mobwatch.indicators.extract.law_changes import read_changes
from mobwatch.indicators.model import Confidence, Evidence, Indicator, Observation
from mobwatch.parsers.base import Document
from mobwatch.parsers.duma_api import BILL

# Stages in the order a bill passes them; "rejected" and "withdrawn" end it.
STAGES = (
    "introduced",
    "first_reading",
    "second_reading",
    "third_reading",
    "federation_council",
    "signed",
)
_WATCHED = (ActKind.SERVICE_LAW, ActKind.RESERVIST_CALLUP)


def is_bill(doc: Document) -> bool:
    return (doc.act_type or "").lower() == BILL


def read_bill(doc: Document, source: str) -> Observation | None:
    """The observation of one stage of a bill on military service, or None.

    None for a document that is not a bill, a bill on other matters, or a step that is not
    a stage (a committee's meeting, a date set).
    """
    if not is_bill(doc) or doc.stage is None or doc.published is None or not doc.act_number:
        return None
    if classify(doc.title, doc.text, act_type=doc.act_type) not in _WATCHED:
        return None
    changes = read_changes(doc.title, doc.text)
    title = " ".join(doc.title.split())
    evidence = changes[0].quote if changes else title
    return Observation(
        indicator=Indicator.SERVICE_BILL,
        event_date=doc.published,
        title=title,
        url=doc.url,
        source=source,
        evidence=evidence,
        document_number=doc.act_number,
        confidence=Confidence.OFFICIAL if doc.official else Confidence.REPORTED,
        details={"stage": doc.stage, "changes": [change.as_dict() for change in changes]},
        links=[Evidence(url=doc.url, quote=evidence, source=source, title=title)],
    )
