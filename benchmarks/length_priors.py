"""Measure the length-ratio priors of the omission rules and write the ``fidelity.length`` pack.

Usage::

    PYTHONPATH=$PWD python benchmarks/length_priors.py [--wmt ../shared/data/wmt]
                                                       [--out tqaudit/packs/fidelity.length.toml]

For every WMT22 pair folder (``src.<s>`` and every ``ref*.<t>``, human translations) it takes the
log ratio of target to source length in units (``tqaudit.textunits.length_units``: non-space
characters, Han counting 3, hangul 2, kana 1.5) and, per bin of source length, records the median
and a robust spread on each side: ``(median - q05) / 1.645`` below, ``(q95 - median) / 1.645``
above (what a standard deviation would be for a normal distribution; the tails are heavier,
which the rules' thresholds absorb). Several references of a pair are pooled.

Fallbacks for pairs without data are written too: per pair of scripts (``CYRILLIC-LATIN``), per
pair of script classes (``cjk-alpha``, ``alpha-alpha``) and ``any``; the rule mirrors a table
(``en-cs`` from ``cs-en``) before it falls back. A bin with fewer than ``--min-bin`` segments
takes the values of the next coarser table. The data is read where it lies, never copied.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from audit_speed import read_lines

from tqaudit.io.writers import write_text
from tqaudit.scripts import language_script
from tqaudit.textunits import length_units

ROOT = Path(__file__).resolve().parent.parent
# Lower edges of the source-length bins (units): ratios of short texts are noisy, so each bin
# gets its own spread and the threshold widens for short sources.
BINS = (0, 10, 20, 40, 80, 160)
SMOOTHING = 3  # units added to both lengths before the ratio (keeps tiny texts finite)
MIN_SPREAD = 0.08  # no table may claim ratios tighter than about 8%
Z05 = 1.6449  # the 95% quantile of the standard normal


def script_class(script: str) -> str:
    return "cjk" if script in ("HAN", "KANA", "HANGUL") else "alpha"


def log_ratios(sources: Sequence[str], targets: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    src = np.array([length_units(s) for s in sources], dtype=float)
    tgt = np.array([length_units(t) for t in targets], dtype=float)
    keep = (src > 0) & (tgt > 0)
    return src[keep], np.log((tgt[keep] + SMOOTHING) / (src[keep] + SMOOTHING))


def table(src: np.ndarray, ratio: np.ndarray, min_bin: int, coarser: dict[str, list[float]] | None):
    """Per-bin n, median, lower and upper spreads; thin bins borrow from ``coarser``."""
    out: dict[str, list[float]] = {"n": [], "median": [], "lower": [], "upper": []}
    edges = [*BINS, math.inf]
    for i in range(len(BINS)):
        sel = ratio[(src >= edges[i]) & (src < edges[i + 1])]
        out["n"].append(float(len(sel)))
        if len(sel) < min_bin:
            if coarser is None:
                raise SystemExit(f"bin {BINS[i]} has {len(sel)} segments even in the pooled table")
            for key in ("median", "lower", "upper"):
                out[key].append(coarser[key][i])
            continue
        q05, med, q95 = np.quantile(sel, [0.05, 0.5, 0.95])
        out["median"].append(round(float(med), 3))
        out["lower"].append(round(max((med - q05) / Z05, MIN_SPREAD), 3))
        out["upper"].append(round(max((q95 - med) / Z05, MIN_SPREAD), 3))
    return out


def toml_table(name: str, values: dict[str, list[float]], origin: str) -> list[str]:
    lines = [f'[pack.pairs."{name}"]', f'from = "{origin}"']
    lines.append(f"n = [{', '.join(str(int(v)) for v in values['n'])}]")
    for key in ("median", "lower", "upper"):
        lines.append(f"{key} = [{', '.join(f'{v:.3f}' for v in values[key])}]")
    return [*lines, ""]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wmt", type=Path, default=ROOT.parent / "shared" / "data" / "wmt")
    parser.add_argument("--out", type=Path, default=ROOT / "tqaudit" / "packs" / "fidelity.length.toml")
    parser.add_argument("--min-bin", type=int, default=60)
    args = parser.parse_args()

    pairs: dict[str, tuple[np.ndarray, np.ndarray, list[str]]] = {}
    for folder in sorted(p for p in args.wmt.iterdir() if p.is_dir() and "-" in p.name):
        s, t = folder.name.split("-")
        sources = read_lines(folder / f"src.{s}")
        parts = [log_ratios(sources, read_lines(ref)) for ref in sorted(folder.glob(f"ref*.{t}"))]
        files = [ref.name for ref in sorted(folder.glob(f"ref*.{t}"))]
        pairs[folder.name] = (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            files,
        )

    def pooled(names: list[str]) -> tuple[np.ndarray, np.ndarray]:
        return (
            np.concatenate([pairs[n][0] for n in names]),
            np.concatenate([pairs[n][1] for n in names]),
        )

    def scripts_of(pair: str) -> tuple[str, str]:
        s, t = pair.split("-")
        return language_script(s), language_script(t)

    groups_script: dict[str, list[str]] = {}
    groups_class: dict[str, list[str]] = {}
    for name in pairs:
        ss, ts = scripts_of(name)
        groups_script.setdefault(f"{ss}-{ts}", []).append(name)
        groups_class.setdefault(f"{script_class(ss)}-{script_class(ts)}", []).append(name)

    any_table = table(*pooled(list(pairs)), args.min_bin, None)
    tables: dict[str, tuple[dict[str, list[float]], str]] = {"any": (any_table, "all pairs pooled")}
    for cname, members in sorted(groups_class.items()):
        tables[cname] = (table(*pooled(members), args.min_bin, any_table), "pooled: " + ", ".join(members))
    for sname, members in sorted(groups_script.items()):
        ss, ts = sname.split("-")
        coarse = tables[f"{script_class(ss)}-{script_class(ts)}"][0]
        tables[sname] = (table(*pooled(members), args.min_bin, coarse), "pooled: " + ", ".join(members))
    for name, (src, ratio, files) in sorted(pairs.items()):
        ss, ts = scripts_of(name)
        origin = f"{name}: src + {', '.join(files)}"
        tables[name] = (table(src, ratio, args.min_bin, tables[f"{ss}-{ts}"][0]), origin)

    lines = [
        "# Length-ratio priors of the omission rules (FD005-FD008): auto-generated by",
        "# benchmarks/length_priors.py from the WMT22 general test set references; do not edit by hand.",
        "#",
        "# Units: non-space characters, a Han character counting 3, hangul 2, kana 1.5",
        "# (tqaudit.textunits.length_units). Ratio: log((target + 3) / (source + 3)).",
        "# Per bin of source length (lower edges in `bins`): n = segments measured, median of the",
        "# log ratio, lower/upper = (median - q05) / 1.645 and (q95 - median) / 1.645 (floored at",
        f"# {MIN_SPREAD}). A bin with fewer than {args.min_bin} segments takes the coarser table's values.",
        "# Tables: language pairs, script pairs (CYRILLIC-LATIN), script classes (cjk-alpha) and",
        "# `any`; the rules mirror a table for the reverse direction before falling back.",
        "",
        "[pack]",
        'name = "fidelity.length"',
        'description = "Length ratio of human translations to their sources, per language pair"',
        'source = "WMT22 general test set references (Kocmi et al. 2022, https://aclanthology.org/2022.wmt-1.1),'
        ' measured by benchmarks/length_priors.py"',
        f"bins = [{', '.join(str(b) for b in BINS)}]",
        f"smoothing = {SMOOTHING}",
        "",
    ]
    for name, (values, origin) in tables.items():
        lines += toml_table(name, values, origin)
    write_text(args.out, "\n".join(lines).rstrip() + "\n")  # atomic: never a half-written pack
    print(f"wrote {args.out} ({len(tables)} tables)")


if __name__ == "__main__":
    main()
