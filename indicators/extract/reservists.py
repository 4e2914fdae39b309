"""Reservists called up outside mobilisation: special assemblies and training assemblies.

Since a law of 4 November 2025 the President may call reservists of the mobilisation
reserve to special assemblies (специальные сборы) in peacetime, to protect critically
important facilities; a decree of 30 December 2025 did so for 2026. Training assemblies
(военные сборы) are called every year and are routine. This reads which assembly an act
calls, for what tasks, where, how many, and whether it sends reservists to combat or out
of their own region.
"""

from __future__ import annotations

import re

from mobwatch.indicators.extract.act_facts import PERSONS, ActFacts
from mobwatch.indicators.extract.region_names import read_region_names
from mobwatch.indicators.russian import fold, read_persons, split_sentences

SPECIAL = "special"
TRAINING = "training"
LAW = "law"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


SPECIAL_ASSEMBLY = _rx(r"специальн\w+\s+сбор")
TRAINING_ASSEMBLY = _rx(r"военн\w+\s+сбор")
_COMBAT = _rx(
    r"зон\w*\s+(?:проведения\s+)?(?:специальной\s+военной\s+операции|боев\w+\s+действий)"
    r"|(?:участи\w*|участвова\w*)\s+в\s+(?:боев|специальной\s+военной)"
    r"|боев\w+\s+(?:действи|задач)"
)
_BEYOND_REGION = _rx(
    r"за\s+пределам\w*\s+(?:территори\w+\s+)?(?:субъект|регион)"
    r"|в\s+других\s+субъектах|вне\s+(?:пределов\s+)?(?:своего\s+|их\s+)?(?:субъект|регион)"
)
_OBJECTS = _rx(r"(?:критически\s+важн|объект\w*\s+жизнеобеспечен|энергетик|транспорт)\w*")


def read_reservist_callup(title: str, text: str, *, law: bool = False) -> ActFacts:
    """The facts of a decree (or a law, `law=True`) on calling reservists up."""
    folded = fold(f"{title} {text}")
    assembly = LAW if law else SPECIAL if SPECIAL_ASSEMBLY.search(folded) else TRAINING
    details: dict[str, object] = {"assembly": assembly}
    evidence = _first_sentence(text, SPECIAL_ASSEMBLY if assembly != TRAINING else None)
    if assembly == TRAINING:
        return ActFacts(evidence=evidence, details=details)
    tasks = sorted({_task_words(m.group(0)) for m in _OBJECTS.finditer(folded)})
    details |= {
        "tasks": tasks,
        "regions": read_region_names(text),
        "combat": bool(_COMBAT.search(folded)),
        "beyond_region": bool(_BEYOND_REGION.search(folded)),
    }
    size = read_persons(text)
    return ActFacts(
        value=size[0] if size else None,
        unit=PERSONS if size else None,
        evidence=(size[1] if size else None) or evidence,
        details=details,
    )


def _task_words(word: str) -> str:
    """A task's stem, so «критически важных» and «критически важные» are one task."""
    return fold(word).lower()[:12]


def _first_sentence(text: str, pattern: re.Pattern[str] | None) -> str | None:
    for sentence in split_sentences(text):
        if pattern is None or pattern.search(fold(sentence)):
            return sentence
    return None
