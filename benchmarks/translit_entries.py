"""Per entry of the ``transliteration.<lang>`` packs: hits in WMT22 human references vs system outputs.

Usage::

    python benchmarks/translit_entries.py [--wmt DIR] [--out benchmarks/results/transliteration-entries.md]

TL001 runs alone (with its packs, every condition and exception) on every ``ref*.<tgt>`` and
every ``sys/*`` file of the WMT22 pairs whose target has a transliteration pack, with the
pair's source and languages. Each finding is counted for the pack entry whose pattern it
matched. An entry earns its place when MT writes it more often than human translators of
the same sources: the table gives, per entry, its hits in the references (all reference
files of its target language), in the systems (all six of each pair) and the systems' hits
per reference-equivalent (systems / number of system files × number of reference files).

:func:`entry_hits` is the measurement; it is written so that a general per-entry table
(any pack, any rule) can fold it in as its transliteration part.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WMT = ROOT.parent / "shared" / "data" / "wmt"
DEFAULT_OUT = ROOT / "benchmarks" / "results" / "transliteration-entries.md"


@dataclass
class EntryHits:
    """Hits per entry pattern, split by where they were found; segment counts per file kind."""

    refs: Counter[str] = field(default_factory=Counter)
    systems: Counter[str] = field(default_factory=Counter)
    per_system: dict[str, Counter[str]] = field(default_factory=dict)
    ref_files: int = 0
    sys_files: int = 0
    ref_segments: int = 0
    sys_segments: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)


def _read(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="\n") as fh:
        return [line.rstrip("\n") for line in fh]


def _findings(targets: list[str], sources: list[str], src: str, tgt: str) -> pd.DataFrame:
    import tqaudit

    frame = pd.DataFrame(
        {
            "segment_id": [str(i + 1) for i in range(len(targets))],
            "doc_id": "",
            "source": sources,
            "target": targets,
            "src_lang": src,
            "tgt_lang": tgt,
        }
    )
    config = tqaudit.Config(select=("TL001",), fail_on="never")
    return tqaudit.audit(frame, config).findings


def entry_hits(wmt: Path, targets: tuple[str, ...] = ("en", "de", "fr", "es")) -> dict[str, EntryHits]:
    """Per target language: TL001's hits per entry on every WMT22 reference and system file."""
    out: dict[str, EntryHits] = {}
    for pair in sorted(p for p in wmt.iterdir() if (p / "sys").is_dir()):
        src, tgt = pair.name.split("-")
        if tgt not in targets:
            continue
        hits = out.setdefault(tgt, EntryHits())
        sources = _read(pair / f"src.{src}")
        files = [(f, "ref") for f in sorted(pair.glob(f"ref*.{tgt}"))]
        files += [(f, "sys") for f in sorted((pair / "sys").iterdir())]
        for path, kind in files:
            lines = _read(path)
            found = _findings(lines, sources, src, tgt)
            found["name"] = [
                lines[int(sid) - 1][start:end]
                for sid, start, end in zip(found["segment_id"], found["start"], found["end"], strict=True)
            ]
            names = Counter(found["name"])
            if kind == "ref":
                hits.refs.update(names)
                hits.ref_files += 1
                hits.ref_segments += len(lines)
            else:
                hits.systems.update(names)
                hits.per_system.setdefault(f"{pair.name}/{path.stem}", Counter()).update(names)
                hits.sys_files += 1
                hits.sys_segments += len(lines)
            for sid, name in zip(found["segment_id"], found["name"], strict=True):
                shown = hits.examples.setdefault(name, [])
                if len(shown) < 2:
                    shown.append(f"{kind} {pair.name}/{path.name}:{sid}")
    return out


def report(hits: dict[str, EntryHits]) -> str:
    from tqaudit.packs import PackSet

    out = [
        "# Transliteration pack entries: hits in WMT22 human references vs system outputs",
        "",
        "`python benchmarks/translit_entries.py` (TL001 alone, with the pair's source and languages).",
        "An entry is kept when MT writes it more often than the references (per reference-equivalent:",
        "system hits × reference files / system files). Entries without a hit anywhere are listed by",
        "count only: they are kept on the strength of their source of truth and the labelled set.",
        "",
    ]
    packs = PackSet.default()
    for tgt in ("en", "de", "fr", "es"):
        pack = packs.get(f"transliteration.{tgt}")
        if pack is None:
            continue
        h = hits.get(tgt)
        if h is None:
            out += [
                f"## transliteration.{tgt}: {len(pack.entries)} entries",
                "",
                "No WMT22 pair has this target language.",
                "",
            ]
            continue
        out += [
            f"## transliteration.{tgt}: {len(pack.entries)} entries",
            "",
            f"{h.ref_files} reference files ({h.ref_segments} segments), {h.sys_files} system files "
            f"({h.sys_segments} segments).",
            "",
            "| entry | suggestion | references | systems | systems per ref-equiv. | verdict | first hits |",
            "|---|---|---|---|---|---|---|",
        ]
        quiet = 0
        for entry in pack.entries:
            name = entry["pattern"]
            ref, sys_ = h.refs[name], h.systems[name]
            if not ref and not sys_:
                quiet += 1
                continue
            scaled = sys_ * h.ref_files / max(1, h.sys_files)
            verdict = "MT ahead" if scaled > ref else "references ahead: condition or remove"
            shown = "; ".join(h.examples.get(name, []))
            out.append(
                f"| {name} | {entry['suggestion']} | {ref} | {sys_} | {scaled:.1f} | {verdict} | {shown} |"
            )
        out += ["", f"Entries without a hit in references or systems: {quiet}.", ""]
        out += ["Per system (all entries):", "", "| system file | findings |", "|---|---|"]
        for name, counter in sorted(h.per_system.items()):
            out.append(f"| {name} | {sum(counter.values())} |")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wmt", type=Path, default=DEFAULT_WMT)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    from tqaudit.io.writers import write_text

    text = report(entry_hits(args.wmt))
    print(text)
    write_text(args.out, text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
