"""Seconds each rule spends on one hostile segment: is every rule linear in the segment's length?

Usage::

    python benchmarks/hostile_segments.py [--select CODES] [--strings NAMES] [--limit 20]
                                          [--out benchmarks/results/hostile_segments.md]

Each string below is audited as the target of a one-segment table (with a short Russian
source) with every rule, one rule at a time; the time is the CPU time inside the rule's
``check`` (language identification, which runs before the rules that read it, is not in
it). A rule that has not finished after ``--limit`` seconds is stopped and shown as
``>limit``: the run goes on in a fresh process from the next rule, so a catastrophic
pattern costs one limit, not the run.

The strings are written here (no data files): 1 MB and 10 MB of English prose, a 40,000-character
Japanese line without spaces, and the shapes that made patterns backtrack (printf ``%`` and
zeros, ``<a`` and spaces, an e-mail local part without ``@``, long runs of spaces, digits and
one repeated word). Under a second per rule on each is the target (issue 12).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

from audit_speed import emit

ROOT = Path(__file__).resolve().parent.parent
MB = 1_000_000

STRINGS = {
    "english-1MB": lambda: ("The fare is 150 tenge, Tokayev said on 12 May.  Leave a Reply! " * (MB // 64))[
        :MB
    ],
    # the line of 10 MB of issue 12 (the whole CLI audit of one must finish)
    "english-10MB": lambda: (
        "The fare is 150 tenge, Tokayev said on 12 May.  Leave a Reply! " * (10 * MB // 64)
    )[: 10 * MB],
    "cjk-40k": lambda: ("東京の駅で新しい線が開業した。" * 3000)[:40_000],
    "printf-zeros": lambda: "%" + "0" * 40_000,
    "tag-spaces": lambda: "<a" + " " * 40_000 + ">",
    "email-local": lambda: "%" * 40_000 + " @",
    "email-dots": lambda: "a." * 20_000,
    "at-signs": lambda: "a@" * 20_000,
    "spaces": lambda: "a" + " " * 100_000 + "b",
    "digits-400": lambda: "Paid " + "9" * 400 + " tenge.",
    "digits-100k": lambda: "1" * 100_000,
    "same-word": lambda: "the " * 100_000,
    "words-12k": lambda: " ".join(f"word{i % 997}" for i in range(12_000)),
    "dashes": lambda: "-" * 40_000 + " x.com",
    # quotation marks that never pair (PU002 once counted a row's marks once per mark)
    "apostrophes": lambda: "'" * 40_001,
    # twenty thousand numbers in one segment (FD001 reads each)
    "numbers-20k": lambda: "1 " * 20_000,
    # a 25 KB document (the bundled sample feed's targets, with their untranslated Cyrillic)
    # pasted forty times into one cell: long repeats, and letters of two scripts throughout
    "document-40x": lambda: ((_document(25_000) + "\n") * 41)[:MB],
    # look-alike letters (Latin o, a in Russian words), with the same text as the source
    "homoglyphs-1MB": lambda: ("Мoсква и Пaриж " * (MB // 15))[:MB],
    # nine thousand distinct numbers and codes against a source of as many others (FD001's
    # pairings once asked about every number of a side for each number of the other: 56 s)
    "numbers-9k": lambda: _numbers("value", "and Covid", 11),
    # a run of opening brackets (PU005's label test searched from each of them)
    "brackets-40k": lambda: "(" * 40_000 + ")",
    # repeated mojibake (MK006 aligned each target with its repair by difflib: cubic)
    "mojibake-120k": lambda: "cafÃ© " * 20_000,
}


def _numbers(word: str, code: str, seed: int) -> str:
    """Three thousand numbers, codes and code-like names of the ``seed``'s draw."""
    rng = random.Random(seed)
    return " ".join(
        f"{word} {rng.randint(10, 99999)} {code}-{rng.randint(10, 99)} AB-{rng.randint(100, 999)}"
        for _ in range(3000)
    )


# Sources of their own for the strings whose rules compare numbers with the source's
SOURCES = {"numbers-9k": lambda: _numbers("Wert", "und COVID", 1)}


def _document(size: int) -> str:
    """The sample feed's targets joined, repeated up to ``size`` characters."""
    import csv

    with open(ROOT / "data" / "sample-feed.tsv", encoding="utf-8", newline="") as fh:
        doc = " ".join(row["target"] for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return (doc * (size // len(doc) + 1))[:size]


# Strings audited against themselves as the source (the rules that look a flagged word up in it).
SELF_SOURCED = {"homoglyphs-1MB"}


# A different source, so that the rules comparing target and source do not skip the segment
# as untranslated (and every number, address and tag of the target is missing from it).
SOURCE = "Тариф составляет сто тенге, сказал Токаев."


def _child(name: str, codes: list[str]) -> None:
    """Audit string ``name`` with each rule in ``codes``; one ``code seconds findings`` line each."""
    import pandas as pd

    import tqaudit
    from tqaudit.rules import load_rules

    spent: dict[str, float] = {}
    rules = load_rules()
    for code in codes:
        check = rules[code].check

        def run(self, chunk, _check=check, _code=code):  # type: ignore[no-untyped-def]
            start = time.process_time()
            try:
                return list(_check(self, chunk))
            finally:
                spent[_code] = spent.get(_code, 0.0) + time.process_time() - start

        rules[code].check = run  # type: ignore[method-assign]
    text = STRINGS[name]()
    source = text if name in SELF_SOURCED else SOURCES[name]() if name in SOURCES else SOURCE
    lang = "ru" if name in SELF_SOURCED else "en"
    frame = pd.DataFrame({"target": [text], "source": [source], "src_lang": ["ru"], "tgt_lang": [lang]})
    for code in codes:
        start = time.process_time()
        result = tqaudit.audit(frame, tqaudit.Config(select=(code,), fail_on="never"))
        total = time.process_time() - start
        inside = spent.get(code, 0.0)
        print(f"{code} {inside:.3f} {total - inside:.3f} {len(result.findings)}", flush=True)


def _measure(name: str, codes: list[str], limit: float) -> dict[str, str]:
    """``{code: "seconds (findings)"}`` for string ``name``, restarting after a rule over ``limit``."""
    out: dict[str, str] = {}
    rest = list(codes)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    while rest:
        cmd = [sys.executable, __file__, "--child", name, "--select", ",".join(rest)]
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        started = time.monotonic()
        import selectors

        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        while rest:
            if not sel.select(timeout=max(0.0, limit + 30 - (time.monotonic() - started))):
                proc.kill()
                proc.wait()
                out[rest.pop(0)] = f">{limit:g}"
                break
            line = proc.stdout.readline()
            if not line:
                proc.wait()
                out[rest.pop(0)] = "crashed"
                break
            code, inside, _, found = line.split()
            out[code] = f"{float(inside):.2f} ({found})"
            rest.remove(code)
            started = time.monotonic()
        else:
            proc.wait()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--select", default="", help="comma-separated rule codes (default: all)")
    parser.add_argument("--strings", default="", help=f"comma-separated, of: {', '.join(STRINGS)}")
    parser.add_argument("--limit", type=float, default=20.0, help="seconds before a rule is stopped")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from tqaudit.rules import load_rules

    codes = [c for c in args.select.split(",") if c] or sorted(load_rules())
    if args.child:
        _child(args.child, codes)
        return 0
    names = [s for s in args.strings.split(",") if s] or list(STRINGS)
    table = {name: _measure(name, codes, args.limit) for name in names}
    lines = [
        "# CPU seconds per rule on one hostile segment (findings in brackets)",
        "",
        "Generated by `python benchmarks/hostile_segments.py`; `>N` = stopped after N s.",
        "",
        "| rule | " + " | ".join(names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for code in codes:
        lines.append(f"| {code} | " + " | ".join(table[n].get(code, "") for n in names) + " |")
    text = "\n".join(lines) + "\n"
    emit(text, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
