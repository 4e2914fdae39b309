"""Markers of the domain notes (docs/markers.md) that mobwatch does not watch yet.

The board lists them as "not watched yet", so a reader sees the whole set the report names.
Watching one means moving its declaration into a module of its own with `settings`, `basis`
and `evaluate` (see ARCHITECTURE.md, "Adding a marker").
"""

from __future__ import annotations

from mobwatch.indicators.rules.alerting import Group, Marker

SERVICE_TERM_CHANGE = Marker(
    id="service_term_change",
    group=Group.FEDERAL,
    description="A bill or law lengthens conscript service or widens conscription.",
)
CONSCRIPTS_IN_COMBAT = Marker(
    id="conscripts_in_combat",
    group=Group.FEDERAL,
    description="An act or statement allows or reports conscripts deployed to combat.",
)
