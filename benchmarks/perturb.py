"""Recall on controlled errors: perturb WMT22 human references and see whether tqaudit finds them.

Usage::

    python benchmarks/perturb.py [--wmt DIR] [--per-pair 400] [--seed 22] [--jobs 1]
                                 [--only remove_name,replace_name]
                                 [--out benchmarks/results/perturbation.md]

For every WMT22 pair (into and out of English) a fixed random sample of ``--per-pair`` lines
is taken; its first human reference (``ref.<tgt>``) is the clean translation. Each
perturbation below is applied where it can be (a reference without a final full stop cannot
lose it), the perturbed segments are audited with their source and languages by every rule
at default options, and the report gives, per perturbation:

- *applicable*: sampled references the perturbation applies to;
- *eligible*: of those, references whose unperturbed version has no finding at all (so a
  finding on the perturbed version is caused by the perturbation);
- *detected*: eligible segments with a warning or error finding of the expected category,
  and *any*: with any finding at all (any category, any severity).

The unperturbed sample's own rate (references with a warning or error) is the false-alarm
side of the same measurement. The data is generated in memory from the files where they lie
and never written. Perturbations are deterministic (seeded per pair, line and perturbation).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"

import tqaudit  # noqa: E402
from tqaudit.io.writers import write_text  # noqa: E402

FINAL = ".!?。！？…"
WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")
TOKEN = re.compile(r"(?<![\w#])\w[\w'’-]*(?![\w#])")
CJK_RUN = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]+")
PUNCT_AFTER_WORD = re.compile(r"(?<=\w)([,.!?:;])(?=\s|$)")
# Romanisation of Cyrillic enough to recognise a name of the source in an English reference.
_CYR_LATIN = "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya i i ye g"
_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ", _CYR_LATIN.split(" "), strict=True))


def romanise(word: str) -> str:
    return "".join(_CYR.get(c, c) for c in word.lower()).replace("_", "")


@dataclass(frozen=True)
class Segment:
    pair: str
    line: int
    source: str
    target: str
    src_lang: str
    tgt_lang: str
    names: tuple[str, ...]  # capitalised words of the target that the source also has


Perturb = Callable[[Segment, random.Random], str | None]


def drop_final_punct(s: Segment, rng: random.Random) -> str | None:
    t = s.target.rstrip()
    if not t or t[-1] not in FINAL or t.endswith("..."):
        return None
    return t.rstrip(FINAL)


def _first_cased(t: str) -> int | None:
    for i, ch in enumerate(t):
        if ch.isalpha():
            return i if ch.isupper() or ch.islower() else None
    return None


def lower_first(s: Segment, rng: random.Random) -> str | None:
    i = _first_cased(s.target)
    if i is None or not s.target[i].isupper():
        return None
    word = WORD.match(s.target, i)
    if word and len(word.group()) > 1 and word.group().isupper():
        return None  # an acronym: lower-casing its first letter is another error
    return s.target[:i] + s.target[i].lower() + s.target[i + 1 :]


def lower_all(s: Segment, rng: random.Random) -> str | None:
    low = s.target.lower()
    return low if low != s.target else None


def _inner_words(t: str) -> list[re.Match[str]]:
    words = list(WORD.finditer(t))
    return words[1:-2] if len(words) >= 6 else []


def insert_punct(s: Segment, rng: random.Random) -> str | None:
    """A full stop after a word in the middle of the sentence (`the price of. fuel`)."""
    words = [m for m in _inner_words(s.target) if s.target[m.end() : m.end() + 1] == " "]
    nxt = [m for m in words if s.target[m.end() + 1 : m.end() + 2].islower()]
    if not nxt:
        return None
    m = rng.choice(nxt)
    return s.target[: m.end()] + "." + s.target[m.end() :]


def _last_word(t: str) -> re.Match[str] | None:
    """The last token with a letter (`M4`, `Mindcrack-Fan`), in a target of three words or more."""
    words = [m for m in TOKEN.finditer(t) if any(c.isalpha() for c in m.group())]
    return words[-1] if len(words) >= 3 else None


def repeat_last(times: int) -> Perturb:
    def perturb(s: Segment, rng: random.Random) -> str | None:
        m = _last_word(s.target)
        if m is None:
            return None
        return s.target[: m.end()] + (" " + m.group()) * (times - 1) + s.target[m.end() :]

    perturb.__name__ = f"repeat_last_word_x{times}"
    return perturb


def replace_number(s: Segment, rng: random.Random) -> str | None:
    nums = [m for m in NUMBER.finditer(s.target) if m.group() in s.source]
    if not nums:
        return None
    m = rng.choice(nums)
    text = m.group()
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    i = rng.choice(digits)
    new_digit = str((int(text[i]) + rng.randint(1, 8)) % 10)
    new = text[:i] + new_digit + text[i + 1 :]
    if new[0] == "0" and len(new) > 1 and new[1].isdigit():
        new = "1" + new[1:]
    return s.target[: m.start()] + new + s.target[m.end() :]


def copy_source_word(s: Segment, rng: random.Random) -> str | None:
    """One target word replaced by a content word of the source (left untranslated)."""
    target_words = {w.lower() for w in WORD.findall(s.target)}
    if s.src_lang in ("zh", "ja"):  # no spaces: a two- or three-character piece of a Han/kana run
        runs = [r for r in CJK_RUN.findall(s.source) if len(r) >= 2]
        cands = [r[i : i + n] for r in runs for n in (2, 3) for i in range(0, len(r) - n + 1, n)]
    else:
        cands = [
            w
            for w in WORD.findall(s.source)
            if len(w) >= 5 and w.islower() and w.lower() not in target_words and w.isalpha()
        ]
    inner = [m for m in _inner_words(s.target) if m.group().islower() and len(m.group()) >= 4]
    if not cands or not inner:
        return None
    m = rng.choice(inner)
    return s.target[: m.start()] + rng.choice(cands) + s.target[m.end() :]


def only_dot(s: Segment, rng: random.Random) -> str | None:
    return "." if len(WORD.findall(s.source)) >= 5 or len(s.source) >= 20 else None


def remove_name(s: Segment, rng: random.Random) -> str | None:
    if not s.names:
        return None
    name = rng.choice(s.names)
    out = re.sub(rf"\s*\b{re.escape(name)}\b", "", s.target, count=1).strip()
    return out or None


def replace_name(pool: dict[str, list[str]]) -> Perturb:
    def perturb(s: Segment, rng: random.Random) -> str | None:
        if not s.names:
            return None
        name = rng.choice(s.names)
        others = [n for n in pool.get(s.pair, []) if n not in s.source and n not in s.target]
        if not others:
            return None
        return re.sub(rf"\b{re.escape(name)}\b", rng.choice(others), s.target, count=1)

    perturb.__name__ = "replace_name"
    return perturb


def tokenise(s: Segment, rng: random.Random) -> str | None:
    out = PUNCT_AFTER_WORD.sub(r" \1", s.target)
    return out if out != s.target else None


def names_of(source: str, target: str, src_lang: str) -> tuple[str, ...]:
    """Capitalised, non-initial words of the target that the source has too (Cyrillic romanised)."""
    words = list(WORD.finditer(target))
    out = []
    if src_lang in ("ru", "uk"):
        src_words = {romanise(w)[:4] for w in WORD.findall(source) if w[:1].isupper()}
    else:
        src_words = set(WORD.findall(source))
    for m in words[1:]:
        w = m.group()
        if len(w) < 3 or not w[0].isupper() or w.isupper():
            continue
        if target[max(0, m.start() - 2) : m.start()].strip() in (".", "!", "?", "“", '"', "«", "„"):
            continue
        known = romanise(w)[:4] in src_words if src_lang in ("ru", "uk") else w in src_words
        if known:
            out.append(w)
    return tuple(dict.fromkeys(out))


def sample(wmt: Path, per_pair: int, seed: int) -> list[Segment]:
    out: list[Segment] = []
    for pair_dir in sorted(p for p in wmt.iterdir() if p.is_dir() and "-" in p.name):
        src_lang, tgt_lang = pair_dir.name.split("-")
        sources = (pair_dir / f"src.{src_lang}").read_text("utf-8").split("\n")[:-1]
        refs = (pair_dir / f"ref.{tgt_lang}").read_text("utf-8").split("\n")[:-1]
        lines = sorted(random.Random(f"{seed}:{pair_dir.name}").sample(range(len(refs)), per_pair))
        for i in lines:
            src, ref = sources[i], refs[i]
            if not src.strip() or not ref.strip():
                continue
            names = names_of(src, ref, src_lang)
            out.append(Segment(pair_dir.name, i + 1, src, ref, src_lang, tgt_lang, names))
    return out


@dataclass(frozen=True)
class Perturbation:
    name: str
    category: str
    apply: Perturb
    what: str


def perturbations(segments: list[Segment]) -> list[Perturbation]:
    pool: dict[str, list[str]] = {}
    for s in segments:
        pool.setdefault(s.pair, []).extend(s.names)
    return [
        Perturbation("drop_final_punct", "punctuation", drop_final_punct, "final `.` `!` `?` removed"),
        Perturbation("lower_first", "casing", lower_first, "first letter lower-cased"),
        Perturbation("lower_all", "casing", lower_all, "whole target lower-cased"),
        Perturbation("insert_punct", "punctuation", insert_punct, "`.` inserted after a mid-sentence word"),
        Perturbation("repeat_last_word_x2", "repetition", repeat_last(2), "last word written twice"),
        Perturbation("repeat_last_word_x4", "repetition", repeat_last(4), "last word written four times"),
        Perturbation("replace_number", "fidelity", replace_number, "one digit of a source number changed"),
        Perturbation("copy_source_word", "language", copy_source_word, "a word replaced by a source word"),
        Perturbation("only_dot", "fidelity", only_dot, "target replaced by `.`"),
        Perturbation("remove_name", "fidelity", remove_name, "a name of the source removed"),
        Perturbation("replace_name", "fidelity", replace_name(pool), "a name replaced by another name"),
        Perturbation("tokenise", "punctuation", tokenise, "space before every `, . ! ? : ;`"),
    ]


def frame(rows: list[tuple[str, Segment, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "segment_id": [r[0] for r in rows],
            "doc_id": [r[0] for r in rows],  # each segment alone: no neighbours, no corpus effects
            "source": [r[1].source for r in rows],
            "target": [r[2] for r in rows],
            "src_lang": [r[1].src_lang for r in rows],
            "tgt_lang": [r[1].tgt_lang for r in rows],
        }
    )


def seeded(seed: int, *parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(map(str, (seed, *parts))).encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def pct(a: int, b: int) -> str:
    return f"{a}/{b} ({a / b:.2f})" if b else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wmt", type=Path, default=SHARED / "wmt")
    parser.add_argument("--per-pair", type=int, default=400)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--examples", type=int, default=3, help="missed examples per perturbation")
    parser.add_argument("--only", default="", help="comma-separated perturbation names to run (default: all)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "perturbation.md")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    segments = sample(args.wmt, args.per_pair, args.seed)
    perts = perturbations(segments)
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {p.name for p in perts}
        if unknown:
            parser.error(f"unknown perturbation(s): {', '.join(sorted(unknown))}")
        perts = [p for p in perts if p.name in wanted]
    rows: list[tuple[str, Segment, str]] = [(f"{s.pair}:{s.line}:clean", s, s.target) for s in segments]
    for p in perts:
        for s in segments:
            new = p.apply(s, seeded(args.seed, s.pair, s.line, p.name))
            if new is not None and new != s.target:
                rows.append((f"{s.pair}:{s.line}:{p.name}", s, new))
    config = tqaudit.Config(fail_on="never", jobs=args.jobs)
    result = tqaudit.audit(frame(rows), config)
    f = result.findings
    by_id: dict[str, pd.DataFrame] = {k: g for k, g in f.groupby("segment_id", sort=False)}
    empty = f.iloc[0:0]
    flagged_clean = {
        k.rsplit(":", 1)[0]
        for k, g in by_id.items()
        if k.endswith(":clean") and g["severity"].isin(["warning", "error"]).any()
    }
    any_clean = {k.rsplit(":", 1)[0] for k in by_id if k.endswith(":clean")}

    texts = {r[0]: r for r in rows}
    out = ["# Perturbation benchmark: recall on controlled errors", ""]
    out.append(
        f"tqaudit {tqaudit.__version__}, every rule at default options (`{result.signature}`). "
        f"Generated by `python benchmarks/perturb.py --per-pair {args.per_pair} --seed {args.seed}` from "
        f"the first human reference of each WMT22 pair in `{args.wmt}` (read where it lies, nothing "
        f"written): {len(segments)} sampled references of "
        f"{len({s.pair for s in segments})} pairs, {len(rows) - len(segments)} perturbed segments."
    )
    out.append("")
    n_clean = len(segments)
    out.append(
        f"**Unperturbed references with a warning or error**: {len(flagged_clean)}/{n_clean} "
        f"({len(flagged_clean) / n_clean:.1%}); with any finding (info included): "
        f"{len(any_clean)}/{n_clean} ({len(any_clean) / n_clean:.1%})."
    )
    out.append("")
    out.append("| perturbation | what | expected category | applicable | eligible | detected | any finding |")
    out.append("|---|---|---|---|---|---|---|")
    misses: dict[str, list[str]] = {}
    per_pair: dict[str, dict[str, tuple[int, int]]] = {}
    for p in perts:
        applicable = eligible = detected = anyf = 0
        for s in segments:
            key = f"{s.pair}:{s.line}"
            rid = f"{key}:{p.name}"
            if rid not in texts:
                continue
            applicable += 1
            if key in any_clean:
                continue
            eligible += 1
            g = by_id.get(rid, empty)
            hit = bool(((g["category"] == p.category) & g["severity"].isin(["warning", "error"])).any())
            detected += hit
            anyf += not g.empty
            d, e = per_pair.setdefault(p.name, {}).get(s.pair, (0, 0))
            per_pair[p.name][s.pair] = (d + hit, e + 1)
            if not hit:
                misses.setdefault(p.name, []).append(rid)
        out.append(
            f"| {p.name} | {p.what} | {p.category} | {applicable} | {eligible} | "
            f"{pct(detected, eligible)} | {pct(anyf, eligible)} |"
        )
    pairs = sorted({s.pair for s in segments})
    out += ["", "## Detected per pair (share of eligible)", ""]
    out.append("| perturbation | " + " | ".join(pairs) + " |")
    out.append("|---|" + "---|" * len(pairs))
    for p in perts:
        cells = []
        for pair in pairs:
            d, e = per_pair.get(p.name, {}).get(pair, (0, 0))
            cells.append(f"{d / e:.2f} ({e})" if e else "-")
        out.append(f"| {p.name} | " + " | ".join(cells) + " |")
    out += ["", f"## Missed examples (up to {args.examples} per perturbation)", ""]
    for p in perts:
        for rid in misses.get(p.name, [])[: args.examples]:
            _, s, new = texts[rid]
            found = ", ".join(sorted(set(by_id.get(rid, empty)["rule"]))) or "nothing"
            out.append(f"- `{rid}` found {found}: «{s.source[:90]}» → «{new[:120]}»")
    out += ["", "## Unperturbed references with a warning or error", ""]
    for key in sorted(flagged_clean):
        g = by_id[f"{key}:clean"]
        g = g[g["severity"].isin(["warning", "error"])]
        out.append(f"- `{key}` {', '.join(sorted(set(g['rule'])))}: «{texts[key + ':clean'][2][:140]}»")
    out += ["", f"_Run time: {time.perf_counter() - started:.0f} s wall (jobs={args.jobs})._", ""]
    report = "\n".join(out)
    print(report)
    write_text(args.out, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
