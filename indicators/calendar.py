"""The calendar acts are dated on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

# Moscow has been UTC+3 all year since 2014; decrees and publications use its calendar.
MOSCOW_OFFSET = timedelta(hours=3)


def today_in_moscow(now: datetime | None = None) -> date:
    return ((now or datetime.now(UTC)).astimezone(UTC) + MOSCOW_OFFSET).date()
