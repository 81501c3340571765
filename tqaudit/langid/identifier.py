"""``Identifier``: a language and a confidence per text, repeatable and cached.

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
4. *Model*: langdetect by default (or an optional backend), seeded, so a text gets the
   same verdict in any order and any process (``tqaudit.langid.backends``).

An ``Identifier`` holds its own state: the verdict cache (each distinct (text, declared)
identified once), the model-call counter and the languages it has warned about. Nothing is
shared between two identifiers but the loaded, read-only models. Parallelism is not done
here: the engine runs ``annotate`` on chunks in its worker processes, each with the
identifier ``identifier_for`` gives it.

A declared language the backend does not know (Kazakh for langdetect) cannot be checked
by the model, which would call Kazakh Russian on every line. For those segments only the
script is checked: text in the language's own script gets no verdict; text in another
script (English in a Kazakh feed) still goes to the model. A warning says so, once per
identifier.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from tqaudit.langid.backends import NO_VERDICT, Backend, Verdict, get_backend
from tqaudit.langid.settings import Settings
from tqaudit.scripts import (
    NOISE,
    base_language,
    decisive_scripts,
    dominant_script,
    language_script,
    letter_count,
    script_counts,
    script_of,
    weighted_letters,
)

log = logging.getLogger("tqaudit")

# Han characters are shared: Japanese writes them with kana, Korean sometimes with hangul.
_HAN_COMPANIONS = {"KANA": "ja", "HANGUL": "ko"}
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")

# Verdicts an identifier keeps before it empties its cache (a bound on its memory).
CACHE_LIMIT = 500_000
# A fifth of the words must be marker words: one "the" in a line of French does not count.
MARKER_SHARE = 0.2
# Shorter texts go to the model: there langdetect misreads even clear English ("If you do
# well you can get a pro offer." is Welsh to it), and the fast path is meant to skip the
# model only where it would agree (measured on WMT22: benchmarks/results/langid.md).
MARKER_MIN_LETTERS = 40

# The columns ``Identifier.annotate`` returns.
COLUMNS = ("target_lang", "target_lang_conf", "source_lang", "source_lang_conf")


# --------------------------------------------------------------------------- steps


class Markers(NamedTuple):
    """A language's marker function words, the letters of its alphabet, and its script."""

    words: frozenset[str]
    alphabet: frozenset[str]
    script: str


def function_word_markers() -> dict[str, Markers]:
    """Markers per language, from the built-in ``language.function-words`` pack."""
    from tqaudit.packs import PackSet

    pack = PackSet.default().get("language.function-words")
    table: dict[str, Markers] = {}
    for e in pack.entries if pack else ():
        lang = base_language(e["pattern"])
        script = language_script(lang)
        letters = "".join(e.get("alternatives", ()))
        if script and letters:
            table[lang] = Markers(frozenset(e["suggestion"].lower().split()), frozenset(letters), script)
    return table


def too_vague(text: str, settings: Settings) -> bool:
    """True when ``text`` is too short, mostly non-letters, or mostly names to judge."""
    counts = script_counts(text)
    if weighted_letters(counts) < settings.min_letters or not counts:
        return True
    visible = len("".join(text.split()))  # split() drops exactly what isspace() is true of
    if sum(counts.values()) < settings.min_letter_ratio * visible:
        return True
    words = [w for w in _WORD.findall(text) if w[0].lower() != w[0].upper()]
    if len(words) >= 2:
        capitalised = sum(1 for w in words if w[0].isupper())
        if capitalised > settings.max_name_ratio * len(words):
            return True
    return False


def by_script(
    counts: Counter[str], settings: Settings, decisive: Mapping[str, str] | None = None
) -> Verdict | None:
    """The language a script alone decides, or None when the model must decide.

    ``decisive`` is ``tqaudit.scripts.decisive_scripts()`` (computed here when not given).
    """
    total = sum(counts.values())
    if not total:
        return None
    for companion, lang in _HAN_COMPANIONS.items():
        share = (counts[companion] + counts["HAN"]) / total
        if counts[companion] and share >= settings.script_decides:
            return Verdict(lang, round(share, 4))
    script, n = counts.most_common(1)[0]
    lang = (decisive if decisive is not None else decisive_scripts()).get(script, "")
    if lang and n / total >= settings.script_decides:
        return Verdict(lang, round(n / total, 4))
    return None


def by_function_words(
    text: str, declared: str, settings: Settings, markers: Mapping[str, Markers] | None = None
) -> bool:
    """True when ``text`` is clearly in ``declared`` without asking a model.

    Needs ``MARKER_MIN_LETTERS`` letters and, from the ``language.function-words`` pack
    (``markers``, read here when not given): at least ``settings.function_words`` of the
    language's marker words, and a fifth of all words; its script for ``script_decides``
    of the letters; and no letter of that script outside its alphabet (an é, a Ukrainian і
    or a Czech ř sends the text to the model).
    """
    mine = (markers if markers is not None else function_word_markers()).get(declared)
    if mine is None or letter_count(text) < MARKER_MIN_LETTERS:
        return False
    counts = script_counts(text)
    total = sum(counts.values())
    if not total or counts[mine.script] < settings.script_decides * total:
        return False
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return False
    hits = sum(1 for w in words if w in mine.words)
    if hits < settings.function_words or hits < MARKER_SHARE * len(words):
        return False
    return all(ch in mine.alphabet for ch in set("".join(words)) if script_of(ch) == mine.script)


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


def _strings(values: Iterable[Any] | None, n: int | None = None) -> list[str]:
    """``values`` as strings, a missing value (None, NaN, NA) as ""; ``n`` of "" for None."""
    if values is None:
        return [""] * (n or 0)
    out = [v if isinstance(v, str) else "" if _missing(v) else str(v) for v in values]
    if n is not None and len(out) != n:
        raise ValueError(f"a column of {len(out)} values beside {n} targets")
    return out


def _missing(value: Any) -> bool:
    return value is None or bool(pd.api.types.is_scalar(value) and pd.isna(value))


# --------------------------------------------------------------------------- identifier


class Identifier:
    """Language identification with one ``Settings``; owns its cache, counter and warnings.

    ``model_calls`` counts model calls per backend name (tests and benchmarks read it).
    Pickling sends only the settings: the copy starts with an empty cache.
    """

    def __init__(self, settings: Settings | None = None, cache_limit: int = CACHE_LIMIT) -> None:
        self.settings = settings if settings is not None else Settings()
        self.cache_limit = cache_limit
        self.backend: Backend = get_backend(self.settings.backend)  # ConfigError if not installed
        fallback = self.settings.fallback
        self.fallback: Backend | None = get_backend(fallback) if fallback else None
        self.model_calls: Counter[str] = Counter()
        self.warned: set[str] = set()  # declared languages the backend lacks, warned about
        self._cache: dict[tuple[str, str], Verdict] = {}
        self._decisive = decisive_scripts()
        self._markers = function_word_markers()

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> Identifier:
        """An identifier for the ``[tool.tqaudit.langid]`` options (``ConfigError`` if bad)."""
        return cls(Settings.from_options(options))

    def __reduce__(self) -> tuple[type[Identifier], tuple[Settings, int]]:
        return (type(self), (self.settings, self.cache_limit))

    def __repr__(self) -> str:
        return f"Identifier({self.settings!r}, cached={len(self._cache)})"

    def cache_clear(self) -> None:
        """Forget every cached verdict (benchmarks measure cold runs with this)."""
        self._cache.clear()

    # ----------------------------------------------------------------- texts

    def identify(self, text: str, declared: str = "") -> Verdict:
        """The language of one text, from the cache when this identifier has seen it.

        ``declared`` is the language the text is supposed to be in (a base code, or ""); a
        model verdict against it is re-checked with ``settings.declared_prior``.
        """
        key = (text, declared)
        hit = self._cache.get(key)
        if hit is None:
            if len(self._cache) >= self.cache_limit:
                self._cache.clear()
            hit = self._cache[key] = self._identify_uncached(text, declared)
        return hit

    def identify_many(self, texts: Sequence[str], declared: Sequence[str] | None = None) -> list[Verdict]:
        """Verdicts for ``texts`` in order, in this process; each distinct (text, declared) once."""
        items = list(zip(texts, declared if declared is not None else [""] * len(texts), strict=True))
        verdicts = {item: self.identify(*item) for item in dict.fromkeys(items)}
        return [verdicts[item] for item in items]

    def _identify_uncached(self, text: str, declared: str) -> Verdict:
        settings = self.settings
        clean = NOISE.sub(" ", text)
        if too_vague(clean, settings):
            return NO_VERDICT
        decided = by_script(script_counts(clean), settings, self._decisive)
        if decided is not None:
            if decided.lang == "zh" and declared in _HAN_COMPANIONS.values():
                return NO_VERDICT  # Han alone cannot tell Chinese from a kanji-only Japanese title
            return decided
        fast_path = bool(declared) and settings.function_words > 0
        if fast_path and by_function_words(clean, declared, settings, self._markers):
            return Verdict(declared, 1.0)
        name, backend = self.backend_for(declared)
        self.model_calls[name] += 1
        verdict = backend.detect(clean)
        doubt = declared and verdict.lang != declared and settings.declared_prior > 0
        if doubt and declared in backend.supported:
            # Second look with the declared language favoured: only evidence strong enough to
            # beat the prior makes a verdict against the declaration.
            self.model_calls[name] += 1
            verdict = backend.detect(clean, (declared, settings.declared_prior))
        return verdict

    def backend_for(self, declared: str) -> tuple[str, Backend]:
        """The backend (and its name) that judges texts declared ``declared``: the fallback
        for a language the main backend lacks and the fallback knows (Kazakh: langdetect
        has no profile for it, fastText and py3langid do), else the main backend."""
        fallback = self.fallback
        lacking = bool(declared) and declared not in self.backend.supported
        if lacking and fallback is not None and declared in fallback.supported:
            return self.settings.fallback, fallback
        return self.settings.backend, self.backend

    # ----------------------------------------------------------------- segments

    def annotate(
        self,
        targets: Iterable[Any],
        sources: Iterable[Any] | None = None,
        src_langs: Iterable[Any] | None = None,
        tgt_langs: Iterable[Any] | None = None,
        *,
        source_verdicts: bool = True,
    ) -> pd.DataFrame:
        """The language columns of a chunk of segments, as a new frame; the inputs are not changed.

        The four arguments are parallel columns (lists or Series, read in order; None for a
        missing column; None/NaN values count as ""). Returns a frame with index 0..n-1 and
        the columns ``target_lang``, ``target_lang_conf``, ``source_lang``,
        ``source_lang_conf``: a language code ("" = no verdict) and a float confidence (NaN
        = no verdict); the source columns are ""/NaN where there is no source text.

        The target is judged on its own words (``own_words``): words copied from the source
        are left out when enough text remains. ``tgt_langs``/``src_langs`` are the declared
        languages (the prior, the function-word fast path, the unsupported-language script
        fallback). ``source_verdicts=False`` leaves the source columns empty (the sources
        still serve ``own_words``), for runs where nothing reads them.
        """
        texts = _strings(targets)
        n = len(texts)
        source_texts = _strings(sources, n)
        has_source = any(s.strip() for s in source_texts)
        if has_source:
            texts = [own_words(t, s, self.settings) for t, s in zip(texts, source_texts, strict=True)]
        target = self._column(texts, _strings(tgt_langs, n))
        declared_sources = _strings(src_langs, n)  # checked even when unused
        wanted = has_source and source_verdicts
        source = self._column(source_texts, declared_sources) if wanted else [NO_VERDICT] * n
        index = pd.RangeIndex(n)
        return pd.DataFrame(
            {
                "target_lang": pd.Series([v.lang for v in target], index=index, dtype=object),
                "target_lang_conf": pd.Series([v.conf for v in target], index=index, dtype="float64"),
                "source_lang": pd.Series([v.lang for v in source], index=index, dtype=object),
                "source_lang_conf": pd.Series([v.conf for v in source], index=index, dtype="float64"),
            },
            index=index,
        )

    def _column(self, texts: Sequence[str], declared: Sequence[str]) -> list[Verdict]:
        """Verdicts for one text column, with the script fallback for unsupported languages."""
        langs = [base_language(d) for d in declared]
        fallback = [bool(lang) and lang not in self.backend_for(lang)[1].supported for lang in langs]
        for lang, fb in zip(langs, fallback, strict=True):
            if fb:
                self._warn_once(lang)
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
        verdicts = iter(self.identify_many([t for t, _ in chosen], [d for _, d in chosen]))
        return [
            NO_VERDICT if s or not t.strip() else next(verdicts) for t, s in zip(texts, skip, strict=True)
        ]

    def _warn_once(self, lang: str) -> None:
        if lang in self.warned:
            return
        self.warned.add(lang)
        script = language_script(lang)
        how = (
            f"checking only that its segments are in {script.title()} script"
            if script
            else "its script is unknown too, so its segments get no verdict"
        )
        log.warning("langid: %s does not support language %r; %s", self.settings.backend, lang, how)


# One identifier per settings in this process: the identifier of a worker process. The engine
# asks for it on every chunk, so its verdict cache lasts across the chunks a worker runs. This
# is langid's only per-process memo, on purpose; tests and benchmarks make their own.
_PER_PROCESS: dict[Settings, Identifier] = {}


def identifier_for(settings: Settings) -> Identifier:
    """This process's ``Identifier`` for ``settings``, made on first use and then reused."""
    ident = _PER_PROCESS.get(settings)
    if ident is None:
        ident = _PER_PROCESS[settings] = Identifier(settings)
    return ident
