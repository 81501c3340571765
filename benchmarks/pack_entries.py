"""Every pack entry earns its place: per entry, hits in WMT22 human references vs system outputs.

Usage::

    python benchmarks/pack_entries.py [--wmt DIR] [--category all|calque|boilerplate|transliteration]
                                      [--pairs ru-en,uk-en] [--out benchmarks/results/pack_entries.md]

For every pair folder of the WMT22 data (``src.<s>``, ``ref*.<t>``, ``sys/*.<t>``) the packs
of each category that the pair selects (``PackSet.for_languages``) are run entry by entry over
the human references and the six system outputs. Per entry the table gives the segments hit
in the references and in the systems, each per 1,000 segments (systems: the mean of the
per-system rates). An entry earns its place when MT is ahead (systems > references); an
entry that fires on human references as much as or more than on MT is removed or
conditioned. Nothing is copied from the data; the table is the only output.

How an entry fires, per category:

- *calque*: the entry alone, compiled as CQ001 compiles it (phrase, forms, source condition);
- *boilerplate*: the entry alone as BP001 reads it (chrome judged per sentence), where the
  source is not chrome of its own language (that is BP002, the feed's problem, not MT's);
- *transliteration*: TL001 runs once per file with every entry (its historical-context
  exceptions need the whole pack), and each finding counts for the entry whose legacy form it
  matched; running 200 entries one by one would cost minutes per file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audit_speed import emit, read_lines

if TYPE_CHECKING:
    from tqaudit.packs import Pack
    from tqaudit.rules.calque import CalqueTable

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WMT = ROOT.parent / "shared" / "data" / "wmt"

Matcher = Callable[[str, str], bool]


def label_of(pack: Pack, index: int) -> str:
    """``calque.ru-en#3 `pattern` ⟸ `condition```: how the tables name an entry."""
    entry = pack.entries[index]
    label = f"{pack.name}#{index + 1} `{entry['pattern']}`"
    if entry.get("source_pattern"):
        label += f" ⟸ `{entry['source_pattern']}`"
    return label


def calque_entries(packs: Sequence[Pack], src: str, tgt: str) -> Iterator[tuple[str, Matcher]]:
    """(id, matcher) per calque entry: its phrase and forms as CQ001 compiles them, and its condition."""
    from tqaudit.rules.calque import build_table, calque_hits

    for pack in packs:
        for i, entry in enumerate(pack.entries):
            table = build_table([(pack.name, [entry])])

            def match(s: str, t: str, table: CalqueTable = table) -> bool:
                return any(calque_hits(table, [s], [t]))

            yield label_of(pack, i), match


def boilerplate_entries(packs: Sequence[Pack], src: str, tgt: str) -> Iterator[tuple[str, Matcher]]:
    """(id, matcher) per boilerplate entry: chrome in the target by this entry alone, judged per
    sentence as BP001 judges it, where the source is not chrome by its own language's pack."""
    from dataclasses import replace

    from tqaudit.packs import PackSet
    from tqaudit.rules.boilerplate import ScrapedBoilerplate, build_matcher, chrome_spans

    share = float(ScrapedBoilerplate.options["min_share"])
    source_matcher = build_matcher(PackSet.default().for_languages("boilerplate", "", src))
    for pack in packs:
        for i, entry in enumerate(pack.entries):
            matcher = build_matcher([replace(pack, entries=(entry,))])
            if matcher is None:
                continue

            def match(s: str, t: str, m: Any = matcher) -> bool:
                if not m.may_match(t) or not chrome_spans(t, m, share):
                    return False
                return source_matcher is None or not chrome_spans(s, source_matcher, share)

            yield label_of(pack, i), match


EntryFn = Callable[[Sequence["Pack"], str, str], Iterator[tuple[str, Matcher]]]


@dataclass
class Tally:
    """One entry's hits: per reference file and per system, with the files' sizes."""

    ref_hits: int = 0
    ref_segments: int = 0
    sys_rates: list[float] = field(default_factory=list)
    sys_hits: int = 0
    pairs: set[str] = field(default_factory=set)

    def ref_rate(self) -> float:
        return 1000 * self.ref_hits / self.ref_segments if self.ref_segments else 0.0

    def sys_rate(self) -> float:
        return sum(self.sys_rates) / len(self.sys_rates) if self.sys_rates else 0.0

    def verdict(self) -> str:
        if self.sys_rate() > self.ref_rate():
            return "MT ahead"
        return "no hits" if not self.sys_hits and not self.ref_hits else "refs ≥ MT"

    def add(self, kind: str, hits: int, segments: int) -> None:
        """Count one file: ``kind`` is ``ref`` or ``sys``."""
        if kind == "ref":
            self.ref_hits += hits
            self.ref_segments += segments
        else:
            self.sys_hits += hits
            self.sys_rates.append(1000 * hits / segments)


@dataclass
class PairFiles:
    """One WMT22 pair: its languages, source lines and (kind, lines) per target file."""

    name: str
    src_lang: str
    tgt_lang: str
    src: list[str]
    files: list[tuple[str, list[str]]]


def pair_files(wmt: Path, pairs: set[str]) -> Iterator[PairFiles]:
    """The pairs of ``wmt`` (all, or those named in ``pairs``) with their files read."""
    for pair in sorted(p for p in wmt.iterdir() if (p / "sys").is_dir()):
        if pairs and pair.name not in pairs:
            continue
        src_lang, tgt_lang = pair.name.split("-")
        files = [("ref", read_lines(p)) for p in sorted(pair.glob(f"ref*.{tgt_lang}"))]
        files += [("sys", read_lines(p)) for p in sorted((pair / "sys").iterdir())]
        yield PairFiles(pair.name, src_lang, tgt_lang, read_lines(pair / f"src.{src_lang}"), files)


def count(lines_src: Sequence[str], lines_tgt: Sequence[str], match: Matcher) -> int:
    return sum(1 for s, t in zip(lines_src, lines_tgt, strict=True) if match(s, t))


def entry_by_entry(category: str, entries: EntryFn) -> Callable[[Path, set[str]], dict[str, Tally]]:
    """The tallies of a category whose entries can be run one at a time."""

    def run(wmt: Path, pairs: set[str]) -> dict[str, Tally]:
        from tqaudit.packs import PackSet

        packset = PackSet.default()
        tallies: dict[str, Tally] = {}
        for pair in pair_files(wmt, pairs):
            packs = packset.for_languages(category, pair.src_lang, pair.tgt_lang)
            for label, match in entries(packs, pair.src_lang, pair.tgt_lang):
                t = tallies.setdefault(label, Tally())
                t.pairs.add(pair.name)
                for kind, lines in pair.files:
                    t.add(kind, count(pair.src, lines, match), len(lines))
        return tallies

    return run


def tl001_names(pair: PairFiles, lines: list[str]) -> list[set[str]]:
    """Per segment of ``lines``: the legacy names TL001 finds in it (with the pair's source)."""
    import pandas as pd

    import tqaudit

    frame = pd.DataFrame(
        {
            "segment_id": [str(i + 1) for i in range(len(lines))],
            "source": pair.src,
            "target": lines,
            "src_lang": pair.src_lang,
            "tgt_lang": pair.tgt_lang,
        }
    )
    found = tqaudit.audit(frame, tqaudit.Config(select=("TL001",), fail_on="never")).findings
    names: list[set[str]] = [set() for _ in lines]
    for sid, start, end in zip(found["segment_id"], found["start"], found["end"], strict=True):
        names[int(sid) - 1].add(lines[int(sid) - 1][start:end])
    return names


def transliteration_tallies(wmt: Path, pairs: set[str]) -> dict[str, Tally]:
    """TL001 once per file; each finding counts for the first entry with its legacy form."""
    from tqaudit.packs import PackSet

    packset = PackSet.default()
    tallies: dict[str, Tally] = {}
    for pair in pair_files(wmt, pairs):
        packs = packset.for_languages("transliteration", pair.src_lang, pair.tgt_lang)
        labels: dict[str, str] = {}
        for pack in packs:
            for i, entry in enumerate(pack.entries):
                labels.setdefault(entry["pattern"], label_of(pack, i))
        if not labels:
            continue
        for label in labels.values():
            tallies.setdefault(label, Tally()).pairs.add(pair.name)
        for kind, lines in pair.files:
            per_segment = tl001_names(pair, lines)
            for name, label in labels.items():
                tallies[label].add(kind, sum(name in found for found in per_segment), len(lines))
    return tallies


CATEGORIES: dict[str, Callable[[Path, set[str]], dict[str, Tally]]] = {
    "calque": entry_by_entry("calque", calque_entries),
    "boilerplate": entry_by_entry("boilerplate", boilerplate_entries),
    "transliteration": transliteration_tallies,
}


def report(tallies: dict[str, Tally], category: str) -> str:
    """One category's section: the verdict counts, then one row per entry."""
    verdicts = [t.verdict() for t in tallies.values()]
    out = [
        f"## {category}",
        "",
        f"{len(tallies)} entries: {verdicts.count('MT ahead')} MT ahead, "
        f"{verdicts.count('refs ≥ MT')} references as often as MT or more, "
        f"{verdicts.count('no hits')} without hits.",
        "",
        "| entry | pairs | ref hits | ref /1k | sys hits | sys /1k (mean) | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    for label in sorted(tallies, key=_order):
        t = tallies[label]
        out.append(
            f"| {_cell(label)} | {', '.join(sorted(t.pairs))} | {t.ref_hits} | {t.ref_rate():.2f} "
            f"| {t.sys_hits} | {t.sys_rate():.2f} | {t.verdict()} |"
        )
    return "\n".join(out) + "\n"


HEADER = """# Pack entries: hits in WMT22 human references vs system outputs

Generated by `python benchmarks/pack_entries.py{options}`. Per entry: the pairs it runs on (the \
packs `PackSet.for_languages` picks), segments hit in the human references and per 1,000 \
reference segments, segments hit in the six systems' outputs and the mean per-system rate per \
1,000 segments. `⟸` is the entry's source condition. Pack entries for languages no WMT22 pair \
has as its target (boilerplate fr/es, transliteration fr/es) are not in the tables.
"""


def _cell(text: str) -> str:
    """A Markdown table cell: a pipe inside a source pattern would split the cell."""
    return text.replace("|", "\\|")


def _order(label: str) -> tuple[str, int]:
    name, _, rest = label.partition("#")
    return name, int(rest.split(" ", 1)[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wmt", type=Path, default=DEFAULT_WMT)
    parser.add_argument("--category", choices=["all", *sorted(CATEGORIES)], default="all")
    parser.add_argument("--pairs", default="", help="comma-separated pair folders (default: all)")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    pairs = set(filter(None, args.pairs.split(",")))
    names = sorted(CATEGORIES) if args.category == "all" else [args.category]
    options = "" if args.category == "all" else f" --category {args.category}"
    options += f" --pairs {args.pairs}" if pairs else ""
    sections = [report(CATEGORIES[name](args.wmt, pairs), name) for name in names]
    emit("\n".join([HEADER.format(options=options), *sections]), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
