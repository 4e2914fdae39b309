"""Names of federal subjects as acts write them, brought to the nominative.

Acts list regions in oblique cases and share the noun: «Белгородской, Брянской и Курской
областей», «Краснодарского края», «Донецкой Народной Республики», «города Севастополя».
This reads those shapes into «Белгородская область», «Краснодарский край», … in order of
first mention. It covers the shapes of decrees; it is not a gazetteer.
"""

from __future__ import annotations

import re

from mobwatch.indicators.russian import fold

_ADJECTIVE = r"[А-Я][а-я]+(?:-[А-Я][а-я]+)?"
_OBLASTS = re.compile(
    rf"((?:{_ADJECTIVE}(?:ой|ая|ую)(?:\s*,\s*|\s+и\s+))*{_ADJECTIVE}(?:ой|ая|ую))"
    r"\s+област(?:ь|и|ей|ях|ям|ью)\b"
)
_KRAIS = re.compile(rf"({_ADJECTIVE})(?:ого|ом|ому|ий|им)\s+кра(?:й|я|е|ю|ем)\b")
_PEOPLES_REPUBLICS = re.compile(rf"({_ADJECTIVE})(?:ой|ая|ую)\s+Народн\w+\s+Республик\w*")
_REPUBLICS = re.compile(rf"Республик(?:а|и|е|у|ой)\s+({_ADJECTIVE})")
_CITIES = re.compile(
    r"(?:город\w*|\bг\.)\s*(?:федерального\s+значения\s+)?(Москв|Санкт-Петербург|Севастопол)"
)
_CITY_NAMES = {"Москв": "Москва", "Санкт-Петербург": "Санкт-Петербург", "Севастопол": "Севастополь"}
_SEPARATOR = re.compile(r"\s*,\s*|\s+и\s+")


def read_region_names(text: str) -> list[str]:
    """Every federal subject named in `text`, nominative, in order of first mention."""
    folded = fold(text)
    found: list[tuple[int, str]] = []
    for match in _OBLASTS.finditer(folded):
        for adjective in _SEPARATOR.split(match.group(1)):
            found.append((match.start(), f"{adjective[:-2]}ая область"))
    found += [(m.start(), f"{m.group(1)}ий край") for m in _KRAIS.finditer(folded)]
    found += [
        (m.start(), f"{m.group(1)}ая Народная Республика")
        for m in _PEOPLES_REPUBLICS.finditer(folded)
    ]
    found += [(m.start(), f"Республика {m.group(1)}") for m in _REPUBLICS.finditer(folded)]
    found += [(m.start(), _CITY_NAMES[m.group(1)]) for m in _CITIES.finditer(folded)]
    names: list[str] = []
    for _, name in sorted(found, key=lambda item: item[0]):
        if name not in names:
            names.append(name)
    return names
