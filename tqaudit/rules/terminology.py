"""Terminology rules: the user's glossary (``--glossary``), its approved and forbidden terms.

The glossaries are read by :mod:`tqaudit.io.glossary` and matched by :mod:`tqaudit.termmatch`
(tokens, Snowball stems, one index per language pair); these rules only say what counts as
a finding. A segment's languages pick the stemmers (and a multilingual glossary's columns):
TM001 reads them as declared, or as identified where undeclared; TM002 as declared only;
a multilingual glossary's column is also found by the text's script where only one of its
languages writes it (`ru` for Cyrillic in a ru/en/de glossary).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import ClassVar

from tqaudit import scripts
from tqaudit.chunk import Chunk
from tqaudit.findings import Applicability
from tqaudit.io.glossary import PairEntry
from tqaudit.rules.base import Hit, Rule, chunk_memo
from tqaudit.rules.registry import register
from tqaudit.termmatch import Match, Matcher, PairMatcher, TermBase, Token, normal_form, term_base


class _GlossaryRule(Rule):
    """Shared plumbing of TM001/TM002 (helpers, not behaviour to inherit)."""

    category = "terminology"
    requires: ClassVar[tuple[str, ...]] = ("source_lang", "target_lang")

    def prepare(self) -> None:
        self.terms: TermBase = term_base(self.packs.glossaries)

    def annotation_rows(self, chunk: Chunk, name: str) -> Sequence[int] | None:
        """A language is identified only for texts whose language is undeclared, and only
        when there is a glossary to match."""
        if not self.terms:
            return []
        side, declared = (
            (chunk.sources, chunk.src_langs) if name == "source_lang" else (chunk.targets, chunk.tgt_langs)
        )
        return [row for row, (text, lang) in enumerate(zip(side, declared, strict=True)) if text and not lang]

    def pairs(self, chunk: Chunk) -> Iterable[tuple[PairMatcher, list[int]]]:
        """Each language pair's matchers with its rows (declared, else identified languages)."""
        if not self.terms:
            return
        by_script = _script_languages(self.terms.glossary.languages)
        sources = _languages(
            chunk.src_langs, self._identified(chunk, "source_lang"), chunk.sources, by_script
        )
        targets = _languages(
            chunk.tgt_langs, self._identified(chunk, "target_lang"), chunk.targets, by_script
        )
        groups: dict[tuple[str, str], list[int]] = {}
        for row, pair in enumerate(zip(sources, targets, strict=True)):
            groups.setdefault(pair, []).append(row)
        for (src, tgt), rows in sorted(groups.items()):
            yield self.terms.pair(src, tgt), rows

    def _identified(self, chunk: Chunk, name: str) -> Sequence[str]:
        """The verdicts ``name`` if this rule declares it; a rule that declares none ignores
        those another selected rule brought along, so that its findings do not depend on
        the selection (nor differ under `tqaudit fix`, which computes none)."""
        return chunk.annotation(name) if name in self.requires else ("",) * len(chunk)


def _languages(
    declared: Sequence[str], identified: Sequence[str], texts: Sequence[str], by_script: Mapping[str, str]
) -> list[str]:
    """Each row's language on one side: declared, else identified, else the chunk's most
    common one (a text too short to identify, `В Алма-Ате тепло.`, is still stemmed), else
    the one language of a multilingual glossary written in the text's script."""
    langs = [scripts.base_language(d or i or "") for d, i in zip(declared, identified, strict=True)]
    counts = Counter(lang for lang in langs if lang)
    if all(langs):
        return langs
    if counts:
        common = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return [lang or common for lang in langs]
    if not by_script:
        return langs
    return [by_script.get(scripts.dominant_script(text), "") for text in texts]


def _script_languages(languages: Sequence[str]) -> dict[str, str]:
    """Script -> language, for the scripts that exactly one of ``languages`` writes."""
    users: dict[str, list[str]] = {}
    for lang in languages:
        users.setdefault(scripts.language_script(lang), []).append(lang)
    return {script: langs[0] for script, langs in users.items() if script and len(langs) == 1}


def tokens_of(chunk: Chunk, side: str, matcher: Matcher, row: int) -> list[Token]:
    """The tokens of a chunk text, made once per chunk for both rules (a cache of results,
    keyed by side and stemmer: what it holds never changes)."""
    memo: dict[int, list[Token]] = chunk_memo(chunk, ("glossary-tokens", side, matcher.stem.lang), dict)
    if row not in memo:
        memo[row] = matcher.tokens((chunk.sources if side == "source" else chunk.targets)[row])
    return memo[row]


def _renderings(entry: PairEntry) -> str:
    return " or ".join(f"'{t.text}'" for t in entry.approved)


@register
class GlossaryTerm(_GlossaryRule):
    """Glossary term in the source not rendered with an approved translation.

    ## What it does
    For every term of the user's glossaries (`--glossary FILE`, repeatable, or `glossary` in
    the config: TSV/CSV with `source` and `target` columns or one column per language, or
    TBX) found in a segment's source, checks that the target contains one of the term's
    approved renderings. A term whose rendering equals the source is do-not-translate.

    Terms are matched on both sides across inflection (`tqaudit.termmatch`): every token is
    reduced to its Snowball stem in the segment's language, declared or identified (a text
    too short to identify takes its chunk's most common language). snowballstemmer has
    Russian, German, English, French, Spanish, Czech, Polish and some thirty more; not
    Ukrainian, Chinese, Japanese or Korean, matched as written. A word matches a term's
    word when its stem lies between that word's stem and its whole form, so `Алма-Ата` is
    found in `в Алма-Ате`, `Алма-Аты`, `Алма-Ату`, `Астана` in `Астане` (whose stem is
    longer than the nominative's); `Vertrag` in `des Vertrages` and `Verträge`; `treaty`
    in `treaties`. A multiword term matches stem by
    stem in a row, through any hyphen, dash or space variant (`Алма‑Ата`, `Alma Ata`).
    Acronyms (`ОДКБ`, `NATO`) match only in capitals, other words in any case, unless the
    entry's `case_sensitive` says otherwise. A trailing `*` accepts any ending of the last
    word (for languages without a stemmer). In the target, a rendering also counts in a
    word that starts with its stem of 4+ letters: `Russian` for `Russia`, `Ukrainian` for
    `Ukraine` (how `посол Украины` is translated).

    ## Why is this bad?
    Clients, regulators and style guides fix how names, products and legal terms are
    translated; MT picks whichever rendering its training data preferred (`Alma-Ata`,
    `ODKB`, `KNB`).

    ## Example
    Glossary: `ОДКБ` → `CSTO`
    Source: `Страны ОДКБ провели учения.`
    Target: `The ODKB countries held exercises.`

    Use instead:
    `The CSTO countries held exercises.`

    ## Known problems
    What a stem does not reach is not matched: suppletive forms (`человек`/`люди`,
    `good`/`better`), fleeting vowels (`отец`/`отца`), German compounds (`Vertrag` is not
    found in `Vertragsentwurf`) and separable verbs (`schließt … ab`), words split by other
    words, and Ukrainian, Chinese, Japanese and Korean inflection (no Snowball stemmer: use
    `*`). Stemming also conflates some derivations (`bank`/`banking`, `россиян`/`Россия`):
    a source term may be found in a derived word. Segments without a source are skipped. A target holding a
    forbidden rendering of the term is left to TM002, which points at it. The finding is
    about the whole segment: which words of the target should carry the term is not known.
    """

    code = "TM001"
    name = "glossary-term"
    severity = "warning"

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for pair, rows in self.pairs(chunk):
            if not pair.sources:
                continue
            for row in rows:
                source, target = chunk.sources[row], chunk.targets[row]
                if source and target:
                    yield from self._check_row(chunk, pair, row, source, target)

    def _check_row(
        self, chunk: Chunk, pair: PairMatcher, row: int, source: str, target: str
    ) -> Iterable[Hit]:
        found: dict[int, Match] = {}
        for m in pair.sources.find(source, tokens_of(chunk, "source", pair.sources, row)):
            found.setdefault(m.pattern.payload, m)
        if not found:
            return
        tokens = tokens_of(chunk, "target", pair.targets, row)
        forbidden = {m.pattern.payload[0] for m in pair.targets.find(target, tokens) if m.pattern.payload[1]}
        rendered = {m.pattern.payload for m in pair.renderings.find(target, tokens, longest=False)}
        for number, m in found.items():
            if number in rendered or number in forbidden:
                continue
            entry = pair.entries[number]
            note = f" ({entry.note})" if entry.note else ""
            text = source[m.start : m.end]
            message = f"Source term '{text}' (at {m.start}) should be translated as {_renderings(entry)}"
            yield Hit(row, -1, -1, message + note, entry.approved[0].text)


@register
class ForbiddenTerm(_GlossaryRule):
    """Forbidden or deprecated glossary term in the target.

    ## What it does
    Flags a target term that the user's glossaries forbid: a row whose `forbidden` column
    is true (or, in a multilingual table, names the target language), or a TBX term whose
    `administrativeStatus` (or `normativeAuthorization`) is `deprecatedTerm` or
    `supersededTerm`. The finding points at the term in the target and names the approved
    rendering of the same entry where the glossary gives one. The term is matched across
    inflection, hyphen and dash variants and case exactly as in TM001 (see there for
    what is and is not matched); where a forbidden term is part of a longer glossary
    term (an approved `Chicken Kiev` holding a forbidden `Kiev`), the longer term wins.
    A forbidden term that the source itself contains (a quoted title, a name kept as
    written) is not flagged.

    ## Why is this bad?
    Term bases record the renderings a client or a standard has retired (`Alma-Ata` for
    Almaty, `Kiev` for Kyiv, a competitor's product name): they are wrong however fluent
    the sentence around them, and MT trained on older text prefers them.

    ## Example
    Glossary: `Алма-Ата` → `Almaty`; `Alma-Ata` forbidden
    Source: `Президент прибыл в Алма-Ату.`
    Target: `The president arrived in Alma-Ata.`

    Use instead:
    `The president arrived in Almaty.`

    ## Known problems
    Forbidden terms are flagged wherever they occur: a historical mention (`formerly
    Alma-Ata`) is flagged too. Inflection is matched as in TM001, with the same limits,
    but in the target's *declared* language only (`--tgt-lang`, the input's own, or the
    chunk's most common declared one): where none is declared, forms as written are
    matched (with case, dash and possessive variants: `Alma-Ata's`), not inflected ones.

    ## Fix safety
    Unsafe, and offered only when it is mechanical: the entry has exactly one approved
    rendering and the target has the forbidden term exactly as written (case and dash
    variants aside; its capital kept). An inflected occurrence (`des Vertrages`) gets no
    fix, since replacing it with the dictionary form breaks the sentence's grammar; and
    even an exact replacement can be wrong in a quotation or a historical statement, so a
    person reviews it (`--unsafe-fixes`).
    """

    code = "TM002"
    name = "forbidden-term"
    severity = "warning"
    fix = Applicability.UNSAFE
    # Declared languages only: `tqaudit fix` runs rules that need no annotation, and the
    # fixable occurrences (the term as written) are found without a stemmer.
    requires = ()

    def check(self, chunk: Chunk) -> Iterable[Hit]:
        for pair, rows in self.pairs(chunk):
            if not pair.targets:
                continue
            for row in rows:
                target = chunk.targets[row]
                if target:
                    yield from self._check_row(chunk, pair, row, target)

    def _check_row(self, chunk: Chunk, pair: PairMatcher, row: int, target: str) -> Iterable[Hit]:
        for m in pair.targets.find(target, tokens_of(chunk, "target", pair.targets, row)):
            number, forbidden = m.pattern.payload
            text = target[m.start : m.end]
            if not forbidden or normal_form(text) in normal_form(chunk.sources[row]):
                continue
            entry = pair.entries[number]
            use = f"; use {_renderings(entry)}" if entry.approved else ""
            note = f" ({entry.note})" if entry.note else ""
            yield Hit(row, m.start, m.end, f"Forbidden term '{text}'{use}{note}", _suggestion(entry, text, m))


def _suggestion(entry: PairEntry, text: str, match: Match) -> str | None:
    """The approved rendering where replacing is mechanical (see the rule's fix safety)."""
    if len(entry.approved) != 1 or normal_form(text) != normal_form(match.pattern.term.text.rstrip("*")):
        return None
    approved = entry.approved[0].text
    if text[:1].isupper() and approved[:1].islower():
        approved = approved[:1].upper() + approved[1:]
    return approved
