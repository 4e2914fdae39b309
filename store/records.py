"""Observations and alerts as plain records: the export format and the store's rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from mobwatch.indicators.model import Alert, Confidence, Evidence, Indicator, Observation, Severity
from mobwatch.indicators.provenance import figure_source, provenance


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def evidence_to_dict(item: Evidence) -> dict[str, str]:
    return {"url": item.url, "quote": item.quote, "source": item.source, "title": item.title}


def evidence_from_dict(data: dict[str, Any]) -> Evidence:
    return Evidence(
        url=data.get("url", ""),
        quote=data.get("quote", ""),
        source=data.get("source", ""),
        title=data.get("title", ""),
    )


def observation_to_record(obs: Observation) -> dict[str, Any]:
    """The export object of docs/interfaces.md, plus `confidence`, `details` and `links`, and
    where it comes from: `provenance` (seed, document, seed+document) and `value_from`
    (the headline figure's: seed or document)."""
    return {
        "indicator": str(obs.indicator),
        "value": obs.value,
        "unit": obs.unit,
        "region": obs.region,
        "event_date": _iso(obs.event_date),
        "period_start": _iso(obs.period_start),
        "period_end": _iso(obs.period_end),
        "document_number": obs.document_number,
        "title": obs.title,
        "url": obs.url,
        "source": obs.source,
        "evidence": obs.evidence,
        "confidence": str(obs.confidence),
        "published": _iso(obs.published),
        "details": dict(obs.details),
        "links": [evidence_to_dict(link) for link in obs.links],
        "key": obs.key,
        "provenance": provenance(obs),
        "value_from": figure_source(obs) if obs.value is not None else None,
    }


def observation_from_record(data: dict[str, Any]) -> Observation:
    event_date = _day(data["event_date"])
    if event_date is None:
        raise ValueError("an observation needs an event_date")
    return Observation(
        indicator=Indicator(data["indicator"]),
        event_date=event_date,
        title=data.get("title") or "",
        url=data.get("url") or "",
        source=data.get("source") or "",
        evidence=data.get("evidence") or "",
        value=data.get("value"),
        unit=data.get("unit"),
        region=data.get("region"),
        period_start=_day(data.get("period_start")),
        period_end=_day(data.get("period_end")),
        document_number=data.get("document_number"),
        confidence=Confidence(data.get("confidence") or Confidence.REPORTED),
        published=_day(data.get("published")),
        details=dict(data.get("details") or {}),
        links=[evidence_from_dict(link) for link in data.get("links") or []],
    )


def alert_to_record(alert: Alert) -> dict[str, Any]:
    return {
        "marker": alert.marker,
        "severity": str(alert.severity),
        "title": alert.title,
        "fingerprint": alert.fingerprint,
        "fired_on": _iso(alert.fired_on),
        "created_at": alert.created_at.isoformat() if alert.created_at else None,
        "evidence": [{"url": item.url, "quote": item.quote} for item in alert.evidence],
        "basis": alert.basis,
        "audience": alert.audience,
        "delivered": dict(alert.delivered),
    }


def severity_rank(severity: Severity) -> int:
    return [Severity.INFO, Severity.WARNING, Severity.CRITICAL].index(severity)
