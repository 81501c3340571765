"""The transliteration packs: Ukrainian names by the 2010 national romanisation, conditions, house styles."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import tqaudit
from tqaudit.errors import ConfigError
from tqaudit.packs import PackSet
from tqaudit.rules.transliteration import LegacyToponym

# Resolution No. 55 of the Cabinet of Ministers of Ukraine (27 Jan 2010). `iuliia` has no
# Ukrainian schema (its schemas are for Russian), so the table is written out here.
_UK_2010 = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
# At the start of a word these letters are written with y.
_UK_2010_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def romanize_uk_2010(text: str) -> str:
    """Romanise Ukrainian by the 2010 resolution: word-initial forms, зг as zgh, no apostrophes."""
    out: list[str] = []
    in_word = False
    for i, ch in enumerate(text):
        low = ch.lower()
        if low not in _UK_2010:
            out.append(ch)
            in_word = False
            continue
        if low == "г" and i and text[i - 1].lower() == "з":
            latin = "gh"
        elif not in_word and low in _UK_2010_INITIAL:
            latin = _UK_2010_INITIAL[low]
        else:
            latin = _UK_2010[low]
        out.append(latin[:1].upper() + latin[1:] if ch.isupper() else latin)
        in_word = True
    return "".join(out)


@pytest.mark.parametrize(
    ("ukrainian", "latin"),
    [
        ("Київ", "Kyiv"),
        ("Запоріжжя", "Zaporizhzhia"),
        ("Згорани", "Zghorany"),
        ("Кам'янське", "Kamianske"),
        ("Їжакевич", "Yizhakevych"),
        ("Яготин", "Yahotyn"),
        ("Хмельницький", "Khmelnytskyi"),
    ],
)
def test_romanisation_follows_the_resolutions_own_examples(ukrainian: str, latin: str) -> None:
    assert romanize_uk_2010(ukrainian) == latin


def test_every_ukrainian_name_of_the_english_pack_is_the_2010_romanisation() -> None:
    pack = PackSet.default().get("transliteration.en")
    assert pack is not None
    checked = [e for e in pack.entries if "native" in e]
    assert len(checked) >= 150
    for entry in checked:
        assert entry["suggestion"].startswith(romanize_uk_2010(entry["native"])), entry


@pytest.mark.parametrize("lang", ["en", "de", "fr", "es"])
def test_packs_are_sound(lang: str) -> None:
    pack = PackSet.default().get(f"transliteration.{lang}")
    assert pack is not None
    patterns = pack.patterns()
    assert len(patterns) == len(set(patterns)), "a legacy form is listed twice"
    for entry in pack.entries:
        assert entry["pattern"] != entry["suggestion"]
        assert entry["note"] and entry["source"]
        for regex in [*entry.get("except", []), entry.get("source_pattern", "")]:
            re.compile(regex.replace("{name}", re.escape(entry["pattern"])))


def _audit(target: str, tgt: str = "en", source: str = "", options: dict | None = None) -> list[str]:
    frame = pd.DataFrame(
        {"segment_id": ["1"], "source": [source], "target": [target], "src_lang": ["ru"], "tgt_lang": [tgt]}
    )
    config = tqaudit.Config(select=("TL001",), fail_on="never", rule_options={"TL001": options or {}})
    return list(tqaudit.audit(frame, config).findings["suggestion"])


def test_the_pack_follows_the_target_language() -> None:
    # the same word is a legacy name in an English target and house style in a German one
    assert _audit("Odessa und Kiew", tgt="de") == []
    assert _audit("Odessa and Kiev") == ["Odesa", "Kyiv"]
    assert _audit("Charkow", tgt="de") == ["Charkiw"]
    assert _audit("Kharkov", tgt="fr") == ["Kharkiv"]


def test_a_dated_name_needs_the_current_name_in_the_source() -> None:
    assert _audit("Nur-Sultan", source="Астана") == ["Astana"]
    assert _audit("Nur-Sultan", source="Нур-Султан") == []
    assert _audit("Nur-Sultan") == []


def test_house_style_is_opt_in() -> None:
    assert _audit("Zelensky spoke.") == []
    assert _audit("Zelensky spoke.", options={"styles": ["official-names"]}) == ["Zelenskyy"]
    # a style applies in the languages it has packs for only
    assert _audit("Selenskyj sprach.", tgt="de", options={"styles": ["official-names"]}) == []


def test_an_unknown_house_style_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"unknown house style 'ap'.*official-names"):
        LegacyToponym({"styles": ["ap"]})


def _clause_by_scan(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause as the rule first found it: a scan of everything before the name (one per
    name, quadratic on a long text), and a search from its end."""
    from tqaudit.rules.transliteration import _CLAUSE_END

    left = max((m.end() for m in _CLAUSE_END.finditer(text, 0, start)), default=0)
    right = _CLAUSE_END.search(text, end)
    return left, right.start() if right else len(text)


def test_clauses_found_once_are_the_clauses_a_scan_finds() -> None:
    """Every boundary the break pattern has: `.` then a space, a line break or `;` alone, a
    break next to the name, breaks of two characters that overlap the name's ends."""
    import random

    from tqaudit.rules.transliteration import _Clauses

    rng = random.Random(3)
    for _ in range(400):
        text = "".join(rng.choice("ab .!?;\n\t") for _ in range(rng.randrange(1, 40)))
        clauses = _Clauses(text, re.compile("x"))
        for start in range(len(text)):
            for end in range(start, min(len(text), start + 4) + 1):
                assert clauses.around(start, end) == _clause_by_scan(text, start, end), (text, start, end)


def test_a_long_text_of_many_names_in_historical_clauses() -> None:
    """A name repeated through a long text: each clause is judged on its own words."""
    text = " ".join(["Alma-Ata was renamed in 1993.", "Flights to Alma-Ata resume."] * 2000)
    frame = pd.DataFrame({"target": [text], "source": ["x"], "src_lang": ["ru"], "tgt_lang": ["en"]})
    result = tqaudit.audit(frame, tqaudit.Config(select=("TL001",), fail_on="never"))
    assert len(result.findings) == 2000
    starts = sorted(result.findings["start"])
    assert all(text[s - len("Flights to ") : s].startswith("Flights to") for s in starts)
