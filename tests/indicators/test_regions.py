"""Federal subjects found in Russian text in any case and short form."""

from __future__ import annotations

import csv

import pytest

from mobwatch.indicators.regions import REGIONS_FILE, default_gazetteer, load_channels, load_regions

GAZETTEER = default_gazetteer()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("в Свердловской области", "RU-SVE"),
        ("Свердловская обл. сообщила", "RU-SVE"),
        ("на Свердловщине", "RU-SVE"),
        ("власти Республики Татарстан", "RU-TA"),
        ("в Татарстане", "RU-TA"),
        ("в Татарии", "RU-TA"),
        ("в Петербурге", "RU-SPE"),
        ("правительство Санкт-Петербурга", "RU-SPE"),
        ("в Северной столице", "RU-SPE"),
        ("в Югре", "RU-KHM"),
        ("в ХМАО", "RU-KHM"),
        ("в Ханты-Мансийском автономном округе — Югре", "RU-KHM"),
        ("в Кузбассе", "RU-KEM"),
        ("в Прикамье", "RU-PER"),
        ("на Ямале", "RU-YAN"),
        ("в Ямало-Ненецком автономном округе", "RU-YAN"),
        ("на Кубани", "RU-KDA"),
        ("в Подмосковье", "RU-MOS"),
        ("в Москве", "RU-MOW"),
        ("Республики Марий Эл", "RU-ME"),
        ("в Чувашии", "RU-CU"),
        ("в Алтайском крае", "RU-ALT"),
        ("в Республике Алтай", "RU-AL"),
        ("Кабардино-Балкарии", "RU-KB"),
        ("в Северной Осетии", "RU-SE"),
        ("в Якутии", "RU-SA"),
        ("в ДНР", "RU-DPR"),
        ("в Запорожской области", "RU-ZAP"),
        ("Курганский губернатор Вадим Шумков", "RU-KGN"),
        ("свердловские власти", "RU-SVE"),
    ],
)
def test_a_subject_is_found_in_any_case_and_form(text: str, code: str) -> None:
    assert [mention.region.code for mention in GAZETTEER.find(text)] == [code]


def test_adjectives_sharing_one_noun_are_each_a_subject() -> None:
    text = "в Ростовской, Волгоградской и Воронежской областях"
    assert [m.region.code for m in GAZETTEER.find(text)] == ["RU-ROS", "RU-VGG", "RU-VOR"]


@pytest.mark.parametrize(
    "text",
    [
        "контракт с Министерством обороны Российской Федерации",
        "чао, до встречи",  # «ЧАО» matches only in capitals
        "Московский военный округ",
        "Владимир Путин подписал указ",
    ],
)
def test_words_that_are_not_subjects_are_not_taken_for_them(text: str) -> None:
    assert GAZETTEER.find(text) == []


def test_a_capital_names_its_subject_only_when_asked() -> None:
    assert GAZETTEER.find("в Омске") == []
    assert GAZETTEER.first_capital("горожане в Омске") is not None
    assert GAZETTEER.first_capital("в Омске").code == "RU-OMS"  # type: ignore[union-attr]


def test_the_file_lists_the_89_subjects_with_unique_codes() -> None:
    regions = load_regions()
    codes = [region.code for region, _, _ in regions]
    assert len(codes) == 89 and len(set(codes)) == 89
    project = {region.code for region, _, _ in regions if region.code_status == "project"}
    assert project == {"RU-CR", "RU-SEV", "RU-DPR", "RU-LPR", "RU-ZAP", "RU-KHE"}
    with REGIONS_FILE.open(encoding="utf-8") as file:
        assert all(row["code"].startswith("RU-") for row in csv.DictReader(file))


def test_governors_channels_map_to_their_subjects() -> None:
    assert GAZETTEER.channel_region("radiyhabirov").code == "RU-BA"  # type: ignore[union-attr]
    assert GAZETTEER.channel_region("RadiyHabirov").code == "RU-BA"  # type: ignore[union-attr]
    assert GAZETTEER.channel_region("no_such_channel") is None
    known = {region.code for region, _, _ in load_regions()}
    assert set(load_channels().values()) <= known
