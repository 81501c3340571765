"""Language identification: a language and a confidence per segment, repeatable and cached.

Every target (and source) text gets a verdict from the cheapest step that can decide it:

1. *No verdict* for text too short, mostly digits or punctuation, or mostly capitalised
   words (names): a model guesses wildly on "Kassym-Jomart Tokayev" or "12:30 (GMT+6)",
   and a wrong verdict is worse than none because the language rules act on it.
2. *Script*: text wholly (``script_decides``) in a script that one language alone uses
   (Thai, Hangul, kana with kanji, Georgian, ...) needs no model.
3. *Function words*: text in a declared language's own alphabet with enough of that
   language's frequent function words, and no letter its alphabet lacks, is that language
   (``language.function-words`` pack; verified against the model on WMT22, see
   ``benchmarks/results/langid.md``). Anything less clear-cut goes to the model.
4. *Model*: langdetect by default (or an optional backend). langdetect is random unless
   seeded; its detector re-seeds its own ``random.Random`` from the factory seed on every
   call, so with ``seed = 0`` a text gets the same verdict in any order and any process.

Each distinct text is identified once per process (a cache keyed by the settings), and
``annotate(..., jobs=N)`` spreads the distinct texts over N processes, keeping order.

A declared language the backend does not know (Kazakh for langdetect) cannot be checked
by the model, which would call Kazakh Russian on every line. For those segments only the
script is checked: text in the language's own script gets no verdict; text in another
script (English in a Kazakh feed) still goes to the model. A warning says so once.
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, NamedTuple, Protocol

import pandas as pd

from tqaudit.errors import ConfigError
from tqaudit.scripts import (
    CJK,
    CJK_WEIGHT,
    NOISE,
    base_language,
    decisive_scripts,
    dominant_script,
    language_script,
    letter_count,
    script_counts,
    script_of,
)

log = logging.getLogger("tqaudit")

# langdetect's README: "Language detection algorithm is non-deterministic ... To enforce
# consistent results, call following code before the first language detection".
SEED = 0
SIGNATURE = f"langid:seed{SEED}"

# Han characters are shared: Japanese writes them with kana, Korean sometimes with hangul.
_HAN_COMPANIONS = {"KANA": "ja", "HANGUL": "ko"}
_CJK = CJK
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


# --------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class Settings:
    """The ``[tool.tqaudit.langid]`` options, validated; hashable so it keys the cache."""

    backend: str = "langdetect"
    min_letters: int = 12
    min_letter_ratio: float = 0.5
    max_name_ratio: float = 0.6
    script_decides: float = 0.8
    declared_prior: float = 0.5
    function_words: int = 3

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> Settings:
        """Settings from user options; unknown keys or bad values raise ``ConfigError``."""
        given = {str(k).replace("-", "_"): v for k, v in (options or {}).items()}
        known = {f.name: f for f in fields(cls)}
        for key, value in given.items():
            if key not in known:
                raise ConfigError(
                    f"unknown langid option {key!r} (known options: {', '.join(sorted(known))})"
                )
            default = known[key].default
            ok = isinstance(value, type(default)) or (isinstance(default, float) and isinstance(value, int))
            if not ok or isinstance(value, bool):
                raise ConfigError(f"langid option {key!r} must be {type(default).__name__}, got {value!r}")
        values: dict[str, Any] = {
            k: (float(v) if isinstance(known[k].default, float) else v) for k, v in given.items()
        }
        settings = cls(**values)
        settings._check()
        return settings

    def _check(self) -> None:
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown langid backend {self.backend!r} (known: {', '.join(BACKENDS)})")
        for key in ("min_letters", "function_words"):
            if getattr(self, key) < 0:
                raise ConfigError(f"langid option {key!r} must be >= 0, got {getattr(self, key)}")
        for key in ("min_letter_ratio", "max_name_ratio", "script_decides"):
            value = getattr(self, key)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"langid option {key!r} must be between 0 and 1, got {value}")
        if not 0.0 <= self.declared_prior < 1.0:
            # A prior of 1 would make every verdict agree with the declaration.
            raise ConfigError(
                f"langid option 'declared_prior' must be at least 0 and below 1, got {self.declared_prior}"
            )


OPTION_DOCS: dict[str, str] = {
    "backend": "detector used where the script does not decide: langdetect (default), "
    "py3langid or lingua when installed",
    "min_letters": "fewer letters than this gives no verdict (a Han, kana or hangul "
    f"character counts as {CJK_WEIGHT})",
    "min_letter_ratio": "no verdict when letters are fewer than this share of the "
    "non-space characters (numbers, codes, punctuation)",
    "max_name_ratio": "no verdict when more than this share of the words of a cased script "
    "start with a capital (lists of names, titles)",
    "script_decides": "share of letters in a script used by one language alone (Thai, "
    "hangul, kana) above which that language is given without a model",
    "declared_prior": "prior probability given to the declared language when the model first "
    "disagrees with it (0 turns this off): short sentences are often misread, and the "
    "declaration is evidence too",
    "function_words": "marker function words of the declared language (language.function-words "
    "pack) that let it be accepted without a model, when they are also a fifth of the words and "
    "every letter is in its alphabet (0 turns this off)",
}


# --------------------------------------------------------------------------- backends


class Verdict(NamedTuple):
    """A language (ISO 639-1, "" for no verdict) and its confidence (NaN for no verdict)."""

    lang: str
    conf: float


NO_VERDICT = Verdict("", math.nan)


class Backend(Protocol):
    supported: frozenset[str]

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict: ...


class LangdetectBackend:
    """langdetect (a port of Google's language-detection), seeded: the default."""

    def __init__(self) -> None:
        from langdetect import DetectorFactory
        from langdetect.detector_factory import PROFILES_DIRECTORY

        DetectorFactory.seed = SEED
        self._factory = DetectorFactory()
        self._factory.load_profile(PROFILES_DIRECTORY)
        self._factory.set_seed(SEED)
        self._codes = self._factory.get_lang_list()
        self._priors: dict[tuple[str, float], dict[str, float]] = {}
        self._detector = _fast_detector_class()
        self.supported = frozenset(base_language(c) for c in self._codes)

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict:
        from langdetect.lang_detect_exception import LangDetectException

        detector = self._detector(self._factory)
        if prior is not None:
            if prior not in self._priors:
                self._priors[prior] = _prior_map(self._codes, *prior)
            detector.set_prior_map(self._priors[prior])
        detector.append(text)
        try:
            probs = detector.get_probabilities()
        except LangDetectException:
            return NO_VERDICT
        return _best((p.lang, p.prob) for p in probs)


_NGRAM_ROWS: dict[str, Any] = {}  # n-gram -> its profile row as a numpy array (shared by calls)
_NGRAM_ROWS_LIMIT = 200_000


@lru_cache(maxsize=1)
def _fast_detector_class() -> type:
    """langdetect's ``Detector`` with its sampling loop on numpy rows: the same verdicts, bit for bit.

    ``Detector._detect_block`` spends most of its time multiplying 55 probabilities by an
    n-gram's profile row in a Python loop. Here each row is a float64 array (made once per
    n-gram and process) and the loop does the same IEEE operations in the same order:
    ``prob[i] * (weight + row[i])`` element-wise, ``sum`` of the Python floats left to right
    for normalisation, the same random draws (``choice``, ``gauss``) from the same seed.
    ``tests/test_langid.py`` checks the probabilities are identical to langdetect's own.
    """
    import numpy as np
    from langdetect.detector import Detector
    from langdetect.lang_detect_exception import ErrorCode, LangDetectException

    class FastDetector(Detector):
        def _detect_block(self) -> None:
            self.cleaning_text()
            ngrams = self._extract_ngrams()
            if not ngrams:
                raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
            if len(_NGRAM_ROWS) > _NGRAM_ROWS_LIMIT:
                _NGRAM_ROWS.clear()
            rows = {}
            for gram in set(ngrams):
                row = _NGRAM_ROWS.get(gram)
                if row is None:
                    row = _NGRAM_ROWS[gram] = np.array(self.word_lang_prob_map[gram], dtype=np.float64)
                rows[gram] = row
            langprob = [0.0] * len(self.langlist)
            rnd = self.random
            rnd.seed(self.seed)
            choice = rnd.choice
            conv, limit, trials = self.CONV_THRESHOLD, self.ITERATION_LIMIT, self.n_trial
            for _ in range(trials):
                prob = np.array(self._init_probability(), dtype=np.float64)
                alpha = self.alpha + rnd.gauss(0.0, 1.0) * self.ALPHA_WIDTH
                weight = alpha / self.BASE_FREQ
                i = 0
                while True:
                    prob *= weight + rows[choice(ngrams)]
                    if i % 5 == 0:
                        prob /= sum(prob.tolist())
                        if prob.max() > conv or i >= limit:
                            break
                    i += 1
                langprob = [a + p / trials for a, p in zip(langprob, prob.tolist(), strict=True)]
            self.langprob = langprob

    return FastDetector


class Py3langidBackend:
    """py3langid (langid.py's model, 97 languages, shipped in the wheel)."""

    def __init__(self) -> None:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        self._ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        self.supported = frozenset(base_language(c) for c in self._ident.nb_classes)

    def detect(self, text: str, prior: tuple[str, float] | None = None) -> Verdict:
        ranked = [(str(lang), float(p)) for lang, p in self._ident.rank(text)]
        return _best(_apply_prior(ranked, prior))


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
        return _best(_apply_prior(ranked, prior))


BACKENDS: dict[str, type] = {
    "langdetect": LangdetectBackend,
    "py3langid": Py3langidBackend,
    "lingua": LinguaBackend,
}
_LOADED: dict[str, Backend] = {}


def get_backend(name: str) -> Backend:
    """The backend called ``name``, loaded once per process."""
    if name not in _LOADED:
        try:
            _LOADED[name] = BACKENDS[name]()
        except ImportError:
            raise ConfigError(
                f"langid backend {name!r} is not installed (pip install 'tqaudit[{name}]')"
            ) from None
    return _LOADED[name]


def _prior_map(codes: Sequence[str], lang: str, weight: float) -> dict[str, float]:
    """Prior over a backend's codes: ``weight`` on ``lang``, the rest spread evenly."""
    mine = [c for c in codes if base_language(c) == lang]
    rest = max(1, len(codes) - len(mine))
    return {c: (weight / len(mine) if c in mine else (1 - weight) / rest) for c in codes}


def _apply_prior(
    ranked: Sequence[tuple[str, float]], prior: tuple[str, float] | None
) -> list[tuple[str, float]]:
    """Posterior from a backend's probabilities over all its languages and a prior."""
    if prior is None:
        return list(ranked)
    weights = _prior_map([lang for lang, _ in ranked], *prior)
    scored = [(lang, p * weights[lang]) for lang, p in ranked]
    total = sum(p for _, p in scored) or 1.0
    return [(lang, p / total) for lang, p in scored]


def _best(pairs: Iterable[tuple[str, float]]) -> Verdict:
    """The most probable language after merging aliases (zh-cn + zh-tw -> zh)."""
    merged: dict[str, float] = {}
    for lang, prob in pairs:
        code = base_language(lang)
        merged[code] = merged.get(code, 0.0) + float(prob)
    if not merged:
        return NO_VERDICT
    lang = max(merged, key=lambda k: (merged[k], k))
    return Verdict(lang, min(1.0, merged[lang]))


# --------------------------------------------------------------------------- identification

# The rules that read the columns ``annotate`` adds: with none of them selected, an audit
# skips language identification (LG003 and LG004 look at scripts only).
READ_BY = frozenset({"LG001", "LG002"})
MODEL_CALLS = Counter[str]()  # model calls per backend in this process, for tests/benchmarks
_CACHE: dict[tuple[Settings, str, str], Verdict] = {}
_CACHE_LIMIT = 500_000


def cache_clear() -> None:
    """Forget every cached verdict (benchmarks measure cold runs with this)."""
    _CACHE.clear()


def too_vague(text: str, settings: Settings) -> bool:
    """True when ``text`` is too short, mostly non-letters, or mostly names to judge."""
    counts = script_counts(text)
    letters = sum(n * (CJK_WEIGHT if s in _CJK else 1) for s, n in counts.items())
    if letters < settings.min_letters or not counts:
        return True
    visible = sum(1 for ch in text if not ch.isspace())
    if sum(counts.values()) < settings.min_letter_ratio * visible:
        return True
    words = [w for w in _WORD.findall(text) if w[0].lower() != w[0].upper()]
    if len(words) >= 2:
        capitalised = sum(1 for w in words if w[0].isupper())
        if capitalised > settings.max_name_ratio * len(words):
            return True
    return False


def by_script(counts: Counter[str], settings: Settings) -> Verdict | None:
    """The language a script alone decides, or None when the model must decide."""
    total = sum(counts.values())
    if not total:
        return None
    for companion, lang in _HAN_COMPANIONS.items():
        share = (counts[companion] + counts["HAN"]) / total
        if counts[companion] and share >= settings.script_decides:
            return Verdict(lang, round(share, 4))
    script, n = counts.most_common(1)[0]
    lang = decisive_scripts().get(script, "")
    if lang and n / total >= settings.script_decides:
        return Verdict(lang, round(n / total, 4))
    return None


class _Markers(NamedTuple):
    words: frozenset[str]
    alphabet: frozenset[str]
    script: str


@lru_cache(maxsize=1)
def _marker_table() -> dict[str, _Markers]:
    from tqaudit.packs import PackSet

    pack = PackSet.default().get("language.function-words")
    table: dict[str, _Markers] = {}
    for e in pack.entries if pack else ():
        lang = base_language(e["pattern"])
        script = language_script(lang)
        letters = "".join(e.get("alternatives", ()))
        if script and letters:
            table[lang] = _Markers(frozenset(e["suggestion"].lower().split()), frozenset(letters), script)
    return table


# A fifth of the words must be marker words: one "the" in a line of French does not count.
MARKER_SHARE = 0.2
# Shorter texts go to the model: there langdetect misreads even clear English ("If you do
# well you can get a pro offer." is Welsh to it), and the fast path is meant to skip the
# model only where it would agree (measured on WMT22: benchmarks/results/langid.md).
MARKER_MIN_LETTERS = 40


def by_function_words(text: str, declared: str, settings: Settings) -> bool:
    """True when ``text`` is clearly in ``declared`` without asking a model.

    Needs ``MARKER_MIN_LETTERS`` letters and, from the ``language.function-words`` pack: at
    least ``settings.function_words`` of the language's marker words, and a fifth of all
    words; its script for
    ``script_decides`` of the letters; and no letter of that script outside its alphabet
    (an é, a Ukrainian і or a Czech ř sends the text to the model).
    """
    markers = _marker_table().get(declared)
    if markers is None or letter_count(text) < MARKER_MIN_LETTERS:
        return False
    counts = script_counts(text)
    total = sum(counts.values())
    if not total or counts[markers.script] < settings.script_decides * total:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    hits = sum(1 for w in words if w in markers.words)
    if hits < settings.function_words or hits < MARKER_SHARE * len(words):
        return False
    return all(ch in markers.alphabet for w in words for ch in w if script_of(ch) == markers.script)


def _identify_uncached(text: str, settings: Settings, declared: str) -> Verdict:
    clean = NOISE.sub(" ", text)
    if too_vague(clean, settings):
        return NO_VERDICT
    decided = by_script(script_counts(clean), settings)
    if decided is not None:
        if decided.lang == "zh" and declared in _HAN_COMPANIONS.values():
            return NO_VERDICT  # Han alone cannot tell Chinese from a kanji-only Japanese title
        return decided
    if declared and settings.function_words and by_function_words(clean, declared, settings):
        return Verdict(declared, 1.0)
    backend = get_backend(settings.backend)
    MODEL_CALLS[settings.backend] += 1
    verdict = backend.detect(clean)
    if (
        declared
        and verdict.lang != declared
        and settings.declared_prior > 0
        and declared in backend.supported
    ):
        # Second look with the declared language favoured: only evidence strong enough to
        # beat the prior makes a verdict against the declaration.
        MODEL_CALLS[settings.backend] += 1
        verdict = backend.detect(clean, (declared, settings.declared_prior))
    return verdict


def identify(text: str, settings: Settings | None = None, declared: str = "") -> Verdict:
    """The language of one text, from the cache when this process has seen it.

    ``declared`` is the language the text is supposed to be in (a base code, or ""); a
    model verdict against it is re-checked with ``settings.declared_prior``.
    """
    settings = settings or Settings()
    key = (settings, text, declared)
    hit = _CACHE.get(key)
    if hit is None:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        hit = _CACHE[key] = _identify_uncached(text, settings, declared)
    return hit


Item = tuple[str, str]  # (text, declared language)


def _identify_batch(items: Sequence[Item], settings: Settings) -> list[Verdict]:
    return [identify(text, settings, declared) for text, declared in items]


def identify_many(
    texts: Sequence[str],
    settings: Settings,
    jobs: int = 1,
    declared: Sequence[str] | None = None,
) -> list[Verdict]:
    """Verdicts for ``texts`` in order; each distinct (text, declared) is identified once."""
    items = list(zip(texts, declared if declared is not None else [""] * len(texts), strict=True))
    todo = [it for it in dict.fromkeys(items) if (settings, *it) not in _CACHE]
    if jobs > 1 and len(todo) > 1:
        size = max(1, math.ceil(len(todo) / (jobs * 4)))
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            results = pool.map(_identify_batch, batches, [settings] * len(batches))
            for batch, verdicts in zip(batches, results, strict=True):
                _CACHE.update({(settings, *it): v for it, v in zip(batch, verdicts, strict=True)})
    return [identify(text, settings, lang) for text, lang in items]


# --------------------------------------------------------------------------- annotation

_WARNED: set[tuple[str, str]] = set()


def _unsupported(declared: str, settings: Settings) -> bool:
    return bool(declared) and declared not in get_backend(settings.backend).supported


def _warn_once(lang: str, settings: Settings) -> None:
    if (settings.backend, lang) in _WARNED:
        return
    _WARNED.add((settings.backend, lang))
    script = language_script(lang)
    how = (
        f"checking only that its segments are in {script.title()} script"
        if script
        else "its script is unknown too, so its segments get no verdict"
    )
    log.warning("langid: %s does not support language %r; %s", settings.backend, lang, how)


def _column_verdicts(
    texts: Sequence[str], declared: Sequence[str], settings: Settings, jobs: int
) -> list[Verdict]:
    """Verdicts for one text column, with the script fallback for unsupported languages."""
    langs = [base_language(d) for d in declared]
    fallback = [_unsupported(lang, settings) for lang in langs]
    for lang, fb in zip(langs, fallback, strict=True):
        if fb:
            _warn_once(lang, settings)
    # A segment in the declared (unsupported) language's own script cannot be judged.
    skip = [
        fb and (not language_script(lang) or dominant_script(text) == language_script(lang))
        for text, lang, fb in zip(texts, langs, fallback, strict=True)
    ]
    chosen = [
        (t, lang if not fb else "")
        for t, lang, s, fb in zip(texts, langs, skip, fallback, strict=True)
        if not s and t.strip()
    ]
    verdicts = iter(identify_many([t for t, _ in chosen], settings, jobs, [d for _, d in chosen]))
    return [NO_VERDICT if s or not t.strip() else next(verdicts) for t, s in zip(texts, skip, strict=True)]


def own_words(target: str, source: str, settings: Settings) -> str:
    """``target`` without the words it shares with ``source``, when enough text remains.

    Names, numbers and brands copied from the source are no evidence of the target's
    language: "Buses will go to Světlá nad Sázavou and Staré Splavy" reads as Czech to a
    model. A target mostly copied from its source keeps its full text, so that an
    untranslated segment is still seen in the source language.
    """
    if not source:
        return target
    shared = set(_WORD.findall(source))
    own = _WORD.sub(lambda m: " " if m.group() in shared else m.group(), target)
    return target if too_vague(NOISE.sub(" ", own), settings) else own


def _declared(frame: pd.DataFrame, column: str) -> list[str]:
    if column in frame.columns:
        return [str(v) for v in frame[column].fillna("")]
    return [""] * len(frame)


def annotate(segments: pd.DataFrame, options: Mapping[str, Any] | None = None, jobs: int = 1) -> pd.DataFrame:
    """Return a copy of the segments table with columns added:
    target_lang, target_lang_conf (float, NaN when no verdict), and where any source is
    non-empty source_lang, source_lang_conf. Empty string = no verdict.

    The target is judged on its own words (``own_words``): words copied from the source
    are left out when enough text remains.

    ``options`` are the ``[tool.tqaudit.langid]`` keys (see ``OPTION_DOCS``); unknown keys
    or values raise ``ConfigError``. ``jobs`` > 1 identifies distinct texts across processes.
    """
    settings = Settings.from_options(options)
    get_backend(settings.backend)  # fail early, in this process, if it is not installed
    out = segments.copy()
    sides = [("target", "tgt_lang")]
    if "source" in out.columns and out["source"].fillna("").astype(str).str.strip().any():
        sides.append(("source", "src_lang"))
    sources = [str(t) for t in out["source"].fillna("")] if len(sides) > 1 else []
    for column, declared_column in sides:
        texts = [str(t) for t in out[column].fillna("")]
        if column == "target" and sources:
            texts = [own_words(t, s, settings) for t, s in zip(texts, sources, strict=True)]
        verdicts = _column_verdicts(texts, _declared(out, declared_column), settings, jobs)
        out[f"{column}_lang"] = [v.lang for v in verdicts]
        out[f"{column}_lang_conf"] = pd.Series([v.conf for v in verdicts], dtype="float64", index=out.index)
    return out
