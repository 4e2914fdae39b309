"""Where an observation's figures come from: the seeded history, or a document read.

The seeded history (`store.seed`) is typed from the project's facts file, not read from a
source. Its rows keep that mark when documents enrich them: `details["seed_fields"]` names
the field groups (`value`, `period`, `event_date`, `document_number`, …) whose values still
rest on the seed alone, so exports, the report and the board can say which figures no
document has confirmed yet.
"""

from __future__ import annotations

from mobwatch.indicators.model import Observation

SEED_PREFIX = "seed:"  # the source name of every seeded row starts so
SEED_FIELDS = "seed_fields"
SEED = "seed"
DOCUMENT = "document"
BOTH = "seed+document"


def is_seed_source(source: str) -> bool:
    return source.startswith(SEED_PREFIX)


def read_from_documents(obs: Observation) -> bool:
    """Whether any document read from a source stands behind the observation."""
    return not is_seed_source(obs.source) or any(
        not is_seed_source(link.source) for link in obs.links
    )


def from_seed(obs: Observation) -> bool:
    return is_seed_source(obs.source) or bool(obs.details.get(SEED_FIELDS))


def provenance(obs: Observation) -> str:
    """`seed`, `document`, or `seed+document` when a document enriched a seeded row."""
    read, seeded = read_from_documents(obs), from_seed(obs)
    if read and seeded:
        return BOTH
    return DOCUMENT if read else SEED


def rests_on_seed(obs: Observation, group: str = "value") -> bool:
    """Whether the observation's `group` (default: its headline value) is the seed's only."""
    if not read_from_documents(obs):
        return True
    return group in obs.details.get(SEED_FIELDS, ())


def figure_source(obs: Observation, group: str = "value") -> str:
    """`seed` or `document`: where the figure of `group` was taken from."""
    return SEED if rests_on_seed(obs, group) else DOCUMENT
