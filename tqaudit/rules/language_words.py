"""Words of the target language, by frequency: untranslated source words (LG007), and the
evidence LG001 weighs a language verdict against.

Word frequencies come from ``wordfreq`` (Apache-2.0; its data ships in the wheel, nothing
is downloaded): ``zipf_frequency(word, lang)`` is 0 for a word never seen in ``lang`` and
about 7 for "the". A word frequent in the source language and rare in the target language,
copied from the source into the target, was left untranslated. Names are the trap: they
are frequent in every language that writes about them, so capitalised words inside a
sentence, words of a name copied with it (`České dráhy`), quoted words, URLs, codes and
mixed-case brands (`iPhone`) are never evidence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from tqaudit.chunk import Chunk
from tqaudit.rules.base import Hit, Rule, group_by_languages, rows_with_literals, text_cache
from tqaudit.rules.language_script import ScriptKnowledge, char_script, masker, source_script
from tqaudit.rules.registry import register
from tqaudit.wordfreqs import supported, zipf

_WORD = re.compile(r"[^\W\d_]+")
# Short quoted stretches copied from the source (titles, words cited as words): `"okurka"
# in Bohemia`, `„Guten Tag, liebes Glück“`; other quotations are speech, translated.
_QUOTED = re.compile(r"[\"“„«‹»›‘‚][^\"“”„«»‹›‘’\n]{1,40}[\"”“»«›‹’‘]|(?<!\w)'[^'\n]{1,40}'(?!\w)")
# The titlecase letters (Lt: `ǅ`, `ᾈ`): the only characters that are not upper case and yet
# change in lower case. A word without them and without capitals is its own lower case.
_TITLECASE = re.compile("[\u01c5\u01c8\u01cb\u01f2\u1f88-\u1f8f\u1f98-\u1f9f\u1fa8-\u1faf\u1fbc\u1fcc\u1ffc]")
# What ends a sentence: the word after it is capitalised by position, not as a name.
_SENTENCE_END = frozenset('.!?:;…"“”„«»()[]–—-•*#')
# A capitalised word rarer than this in the target language is a name (`České`, `Milion`),
# and the copied lower-case words right after it belong to it (`České dráhy`).
NAME_ZIPF = 3.0


def initial(text: str, start: int) -> bool:
    """True when the word at ``start`` opens the text or a sentence, quote or bracket."""
    i = start  # back over the spaces before it (not text[:start].rstrip(): a copy per word)
    while i and text[i - 1].isspace():
        i -= 1
    return not i or text[i - 1] in _SENTENCE_END


def evidence_words(text: str) -> list[str]:
    """The words of ``text`` that tell its language, lower-cased: without URLs, addresses,
    numbers, codes, names (capitalised words inside a sentence) and all-caps acronyms."""
    masked = masker(text)
    out = []
    for m in _WORD.finditer(text):
        word = m.group()
        if masked(m.start()) or (len(word) > 1 and word.isupper()):
            continue
        if word[0].isupper() and not initial(text, m.start()):
            continue
        out.append(word.lower())
    return out


def known_share(words: Iterable[str], lang: str, min_zipf: float) -> float:
    """Share of ``words`` that are words of ``lang`` (zipf at least ``min_zipf``)."""
    listed = list(words)
    if not listed:
        return 0.0
    return sum(1 for w in listed if zipf(w, lang) >= min_zipf) / len(listed)


@register
class UntranslatedWord(Rule):
    """Word of the source left untranslated in the target (`a gemeinsame statement`).

    ## What it does
    Finds target words copied from the source that are words of the source language but
    not of the target language: frequent in the source language (zipf at least
    `min_source_zipf` in `wordfreq`) and rare in the target language (zipf at most
    `max_target_zipf`, and at least `min_gap` below its frequency in the source
    language). Both languages must be declared and known to wordfreq. Names are left
    alone: capitalised words inside a sentence and the words copied with them
    (`Sdružení nezávislých kandidátů`), quoted words and titles, all-caps acronyms,
    mixed-case brands (`eReader`), URLs and domain names, units after a number (`85
    mph`) and parts of hyphenated compounds (`skill-basierte`). A word rarer than
    `min_source_zipf` is reported when the target language's list lacks it altogether
    (`selbstmorden`), unless a whole phrase around it is copied (`pacta sunt servanda`).
    Words in the source's script when the target writes another script are LG003's
    (`as the новые rules take effect`); Latin words in a non-Latin target are judged
    here, by the gap alone. Thresholds that depend on the source language (English is
    quoted in every language's web text) are in the `language.untranslated` pack.

    ## Why is this bad?
    An MT engine that does not know a word (a rare inflection, a compound, a typo in the
    source) copies it. Between languages that share a script the copy looks like a word,
    and language identification, which weighs the whole sentence, does not see it.

    ## Example
    Source: `Beide Seiten veröffentlichten eine gemeinsame Erklärung.`
    Target: `Both sides published a gemeinsame statement.`

    Use instead:
    `Both sides published a joint statement.`

    ## Known problems
    A source word that the target language writes the same way but that wordfreq counts
    rarely in it (a technical term, a dialect word) is flagged. Capitalised words are
    taken for names, so a copied German noun (`Gebühr`) or a copied word at the start of
    a sentence is missed. English words that German web text quotes often (`hospital`,
    `daily`) are too frequent in German to be told from borrowings, unless they end like
    an English noun (`noun_endings` in the pack: `position`, `training`, `resolution`):
    German would write such a borrowing with a capital, so in lower case it is the
    source's word.
    """

    code = "LG007"
    name = "untranslated-word"
    category = "language"
    severity = "warning"
    options = {
        "min_source_zipf": 2.5,
        "max_target_zipf": 5.0,
        "min_gap": 2.0,
        "min_letters": 3,
        "rare_min_letters": 7,
    }
    option_docs = {
        "min_source_zipf": "lowest wordfreq zipf frequency in the source language of a "
        "word reported as untranslated (rare words may be names)",
        "max_target_zipf": "highest zipf frequency in the target language (web text in every "
        "language quotes some English, so `approved` has 2.3 in German)",
        "min_gap": "how much more frequent the word must be in the source language (borrowings "
        "such as `Kindergarten` or `café` are about as frequent in English as in the source); "
        "the `language.untranslated` pack sets it per source language (English: 1.4)",
        "min_letters": "shorter words are not judged",
        "rare_min_letters": "a word rarer than `min_source_zipf` in the source language is "
        "reported only when the target language's list lacks it and it has this many letters "
        "(an inflected form such as `selbstmorden`)",
    }

    def prepare(self) -> None:
        self.knowledge = ScriptKnowledge.from_pack(self.packs.get("language.scripts"))
        pack = self.packs.get("language.untranslated")
        header = pack.header if pack else {}
        self.gaps = {str(k): float(v) for k, v in header.get("min_gap", {}).items()}
        self.ceilings = {str(k): float(v) for k, v in header.get("max_target_zipf", {}).items()}
        self.noun_case = frozenset(header.get("capitalised_nouns", ()))
        self.noun_endings = {str(k): tuple(v) for k, v in header.get("noun_endings", {}).items()}

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        # by language pair (grouped once per chunk for every rule): the languages are
        # tested once per pair, not once per row
        for (src, tgt), rows in group_by_languages(chunk).items():
            if src != tgt and supported(src) and supported(tgt):
                yield from self._pair_rows(chunk, rows, src, tgt)

    def _pair_rows(self, chunk: Chunk, rows: list[int], src: str, tgt: str) -> Iterator[Hit]:
        """The hits of the chunk ``rows`` whose (base) languages are ``src`` and ``tgt``."""
        know = self.knowledge
        # whether a word is foreign, for a source in a script the target writes and for one
        # in a script it borrows
        foreign = {b: functools.partial(self._foreign, src=src, tgt=tgt, borrowed=b) for b in (False, True)}
        least = self.opts["min_letters"]
        native = know.native(tgt)
        # the source's script is its declared language's (source_script): when the target
        # does not write it and it is not Latin, no row of the pair can have a candidate
        # (ru->en, zh->en: words in other scripts are LG003's), so no word is split at all
        declared = source_script(know, src, "")
        if declared and declared not in native and declared != "LATIN":
            return
        sources, targets = chunk.sources, chunk.targets
        # the rows of each distinct source (a chunk holds several systems' translations of
        # it): the source's words are looked for in all their targets at once
        by_source: dict[str, list[int]] = {}
        for row in rows:
            by_source.setdefault(sources[row], []).append(row)
        picked: list[tuple[int, str, frozenset[str]]] = []  # (row, source script, source words)
        for source, source_rows in by_source.items():
            if not source:
                continue
            own = declared or source_script(know, src, source)
            if own not in native and own != "LATIN":
                continue  # words in other scripts are LG003's
            words, long_words = _source_words(source, least)
            texts = [targets[row] for row in source_rows]
            found = _may_have_candidates(texts, long_words, foreign[own not in native])
            picked.extend((source_rows[i], own, words) for i in found)
        for row, own, words in sorted(picked):
            source, target = sources[row], targets[row]
            shared = words.intersection(map(str.lower, _WORD.findall(target)))
            # (lower case never makes a word shorter: no shared word this long, no candidate)
            if not shared or max(map(len, shared)) < least:
                continue
            yield from self._words(row, source, target, (src, tgt), shared, own, native)

    def _words(
        self,
        row: int,
        source: str,
        target: str,
        langs: tuple[str, str],
        shared: frozenset[str],
        script: str,
        native: frozenset[str],
    ) -> Iterator[Hit]:
        src, tgt = langs
        words = list(_WORD.finditer(target))
        lowers = [m.group().lower() for m in words]
        least = self.opts["min_letters"]
        # the cheap tests first: most targets share no word of their own with the source
        candidates = [
            k
            for k, m in enumerate(words)
            if lowers[k] in shared
            and len(m.group()) >= least
            and not any(c.isupper() for c in m.group())  # names, acronyms, brands (`eReader`)
            and char_script(m.group()[0]) == script
        ]
        if not candidates:
            return
        # the word's frequencies first (a cached look-up), then the tests that read the whole
        # target or source (the URL and address spans, the quotations, the source's words),
        # made once per row and only for a row with a foreign candidate: most have none
        read: tuple[Callable[[int], bool], list[tuple[int, int]], str] | None = None
        for k in candidates:
            m = words[k]
            word = m.group()
            if _compound(target, m) or _unit(target, m):
                continue
            foreign = self._foreign(lowers[k], src, tgt, borrowed=script not in native)
            if not foreign:
                continue
            if read is None:
                read = (
                    masker(target),
                    [q.span() for q in _QUOTED.finditer(target) if _all_copied(q.group(), shared)],
                    " " + " ".join(w.lower() for w in _WORD.findall(source)) + " ",
                )
            masked, quoted, in_source = read
            if masked(m.start()) or any(a <= m.start() < b for a, b in quoted):
                continue
            if foreign == "rare" and len(set(_copied_span(k, lowers, in_source))) > 1:
                continue  # a rare phrase quoted whole (`pacta sunt servanda`)
            if _in_copied_name(k, words, lowers, in_source):
                continue
            if tgt not in self.noun_case and _after_name(k, words, target, tgt, shared):
                continue
            yield Hit(
                row,
                m.start(),
                m.end(),
                f"Word {word!r} of the source ({src}) left untranslated: {_why(foreign, tgt)}",
            )

    def _foreign(self, word: str, src: str, tgt: str, *, borrowed: bool) -> str:
        """``frequent``: frequent in the source language and rare in the target language;
        ``rare``: rare in the source language and unknown to the target language;
        ``lowered``: a noun of the source (the pack's ``noun_endings``) in lower case in a
        language that capitalises its nouns; or "".

        A ``borrowed`` word is in a script the target language does not write (Latin in
        Russian): its frequency there only says how often the language quotes it, so
        only the gap counts, not ``max_target_zipf``."""
        in_src = zipf(word, src)
        in_tgt = zipf(word, tgt)
        if in_src < self.opts["min_source_zipf"]:
            # a rare word of the source language that the target language never writes
            rare = in_src > 0 and in_tgt == 0 and len(word) >= self.opts["rare_min_letters"]
            return "rare" if rare else ""
        gap = self.gaps.get(src, self.opts["min_gap"])
        ceiling = self.ceilings.get(src, self.opts["max_target_zipf"])
        if (borrowed or in_tgt <= ceiling) and in_src - in_tgt >= gap:
            return "frequent"
        # a language that capitalises its nouns writes a borrowed noun with a capital
        # (`Position`, `Training`): in lower case, a source word with a noun ending of the
        # source language is the source's word, however often the target language uses it
        endings = self.noun_endings.get(src, ())
        if tgt in self.noun_case and len(word) >= 6 and word.endswith(endings):
            return "lowered"
        return ""


def _why(verdict: str, tgt: str) -> str:
    """Why a word of the verdict of :meth:`UntranslatedWord._foreign` is not the target's."""
    if verdict == "lowered":
        return f"{tgt!r} writes its nouns with a capital"
    return f"it is not a word of {tgt!r}"


@text_cache(8192)  # several systems' outputs share their sources, in several chunks
def _source_words(source: str, least: int) -> tuple[frozenset[str], tuple[str, ...]]:
    """The words of ``source`` in lower case, and those of ``least`` letters or more."""
    words = frozenset(map(str.lower, _WORD.findall(source)))
    return words, tuple(w for w in words if len(w) >= least)


def _may_have_candidates(
    texts: Sequence[str], long_words: tuple[str, ...], foreign: Callable[[str], str]
) -> set[int]:
    """The indices of ``texts`` (translations of one source) that may have a candidate of
    :meth:`UntranslatedWord._words` that it judges foreign (``foreign`` of the word is not
    empty): one of the source's ``long_words`` in lower case, written without a capital.
    Such a word is its own lower case (unless the text has a titlecase letter), so it stands
    in the text as it is: substring tests in C find the source words that may be candidates,
    in all the texts at once, and only those are judged, instead of splitting every text into
    words. On the benchmark feed four targets in five have none of them, and five in eight of
    the others none that is foreign (`hotel`, a word of both languages, or `pro` inside
    `problem`); the rest are split and tested as before."""
    joined = "\n".join(texts)
    found = [w for w in filter(joined.__contains__, long_words) if foreign(w)]
    rows = rows_with_literals(texts, found) if found else set()
    if not joined.isascii():
        rows.update(i for i, text in enumerate(texts) if not text.isascii() and _TITLECASE.search(text))
    return rows


def _all_copied(quote: str, shared: frozenset[str]) -> bool:
    """Every word of a quotation stands in the source: a title or a word cited as it is."""
    return all(w.lower() in shared for w in _WORD.findall(quote))


def _unit(target: str, m: re.Match[str]) -> bool:
    """A word right after a number is a unit or a code suffix (`85 mph`, `20 kDa`)."""
    return bool(re.search(r"\d\s?$", target[max(0, m.start() - 2) : m.start()]))


_HYPHENS = frozenset("-\u2010\u2011\u2212")


def _compound(target: str, m: re.Match[str]) -> bool:
    """A part of a hyphenated compound (`skill-basierte`, `COVID-19-Fälle`): the target
    language's own way of borrowing a word."""
    return target[m.start() - 1 : m.start()] in _HYPHENS or target[m.end() : m.end() + 1] in _HYPHENS


def _after_name(k: int, words: list[re.Match[str]], target: str, tgt: str, shared: frozenset[str]) -> bool:
    """True when word ``k`` continues a name: the words before it, joined by spaces only,
    lead back to a capitalised word that is not a common word of the target language
    (`Milion chvilek pro demokracii` where the source declines `Milionu`)."""
    i = k
    while i > 0 and not target[words[i - 1].end() : words[i].start()].strip():
        i -= 1
        word = words[i].group()
        if word[0].isupper():  # a name of the candidate's own script (not `Синтия the`)
            same = char_script(word[0]) == char_script(words[k].group()[0])
            acronym = len(word) > 1 and word.isupper()  # `WHO recommends`: not a name's part
            return same and not acronym and zipf(word.lower(), tgt) < NAME_ZIPF
        if word.lower() not in shared:
            return False
    return False


def _in_copied_name(k: int, words: list[re.Match[str]], lowers: list[str], in_source: str) -> bool:
    """True when word ``k`` is part of a stretch of words copied as it stands from the
    source (``in_source``: the source's words, lower case, space-joined) that holds a
    capitalised word: a name or title kept in its language (`České dráhy`, `Svaz měst a obcí`)."""

    first, last = _copied_span(k, lowers, in_source)
    return last > first and any(words[i].group()[0].isupper() for i in range(first, last + 1))


def _copied_span(k: int, lowers: list[str], in_source: str) -> tuple[int, int]:
    """The longest stretch of target words around word ``k`` that the source has as it is."""

    def copied(a: int, b: int) -> bool:
        return f" {' '.join(lowers[a : b + 1])} " in in_source

    first = last = k
    while first > 0 and copied(first - 1, last):
        first -= 1
    while last + 1 < len(lowers) and copied(first, last + 1):
        last += 1
    return first, last
