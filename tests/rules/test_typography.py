"""The typography rules' building blocks: the generated CLDR pack and the quotation pairing."""

from __future__ import annotations

from tqaudit.packs import PackSet
from tqaudit.rules.typography import ForeignQuotationMarks, QuoteTables, pair_marks


def test_locale_pack_states_its_cldr_version_and_has_the_wmt_languages() -> None:
    pack = PackSet.default().get("punctuation.locales")
    assert pack is not None
    assert pack.header["cldr_version"] and pack.header["cldr_version_numbers"]
    quotes, numbers = pack.header["quotes"], pack.header["numbers"]
    assert quotes["de"][0] == "„“" and quotes["ru"][0] == "«»" and quotes["en"][0] == "“”"
    assert numbers["de"] == [",", "."] and numbers["en"] == [".", ","] and numbers["ru"] == [",", "\u00a0"]


def test_pairing_follows_each_languages_marks() -> None:
    de = QuoteTables(ForeignQuotationMarks()).rules("en", "de")
    assert de is not None
    pairs = [(q.pair, q.depth) for q in pair_marks("„Er sagte »nein« heute“ und “ja”", de)]
    assert pairs == [("»«", 1), ("„“", 0), ("“”", 0)]


def test_markup_attributes_are_not_quotations() -> None:
    fr = QuoteTables(ForeignQuotationMarks()).rules("en", "fr")
    assert fr is not None
    assert list(pair_marks('Clique <a href="page.html">ici</a>', fr)) == []
