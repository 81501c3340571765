"""``tqaudit score`` and ``tqaudit compare``: sacrebleu scores and system comparison.

Thin on purpose: options become a scoring-options mapping (sacrebleu's constructor
arguments, prefixed per metric), one library call does the work, and a renderer prints it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from tqaudit.cli.common import handle_errors
from tqaudit.compare import Comparison, compare_files, most_changed
from tqaudit.errors import ConfigError
from tqaudit.executor import Executor
from tqaudit.io.writers import write_csv
from tqaudit.scoring import ScoreResult, score_file
from tqaudit.scoring.stats import WORKER_MODULES

MetricsOpt = Annotated[
    str, typer.Option("--metrics", "-m", metavar="LIST", help="Comma-separated: bleu, chrf, ter.")
]
RefOpt = Annotated[
    list[Path], typer.Option("--ref", "-r", metavar="FILE", help="Reference file (repeatable).")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", metavar="PATH", help="Write per-segment rows to this CSV.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
FormatOpt = Annotated[
    str | None, typer.Option("--input-format", metavar="FORMAT", help="txt, tsv, csv, jsonl or parquet.")
]
JobsOpt = Annotated[int, typer.Option("--jobs", "-j", metavar="N", help="Worker processes.")]


def _check_jobs(jobs: int) -> None:
    if jobs < 1:
        raise ConfigError(f"--jobs must be at least 1, got {jobs}")


@handle_errors
def score(
    hyp: Annotated[
        Path, typer.Argument(metavar="HYP", help="System output (.txt) or a table with references.")
    ],
    ref: RefOpt = [],  # noqa: B006 - Typer reads the default, never mutates it
    metrics: MetricsOpt = "bleu,chrf,ter",
    tokenize: Annotated[
        str | None,
        typer.Option("--tokenize", "-tok", metavar="NAME", help="BLEU tokenizer [default: 13a]."),
    ] = None,
    lowercase: Annotated[
        bool,
        typer.Option("--lowercase", "-lc", help="Case-insensitive BLEU (as sacrebleu -lc)."),
    ] = False,
    smooth_method: Annotated[
        str | None,
        typer.Option(
            "--smooth-method", "-s", metavar="NAME", help="BLEU smoothing: exp, floor, add-k, none."
        ),
    ] = None,
    smooth_value: Annotated[
        float | None,
        typer.Option("--smooth-value", "-sv", metavar="X", help="Value for floor / add-k smoothing."),
    ] = None,
    chrf_word_order: Annotated[
        int | None,
        typer.Option("--chrf-word-order", "-cw", metavar="N", help="Word n-gram order; 2 gives chrF++."),
    ] = None,
    chrf_lowercase: Annotated[
        bool,
        typer.Option("--chrf-lowercase", help="Case-insensitive chrF."),
    ] = False,
    ter_normalized: Annotated[
        bool,
        typer.Option("--ter-normalized", help="TER: normalise and tokenize."),
    ] = False,
    ter_case_sensitive: Annotated[
        bool,
        typer.Option("--ter-case-sensitive", help="TER: case-sensitive."),
    ] = False,
    sentence_level: Annotated[
        bool,
        typer.Option(
            "--sentence-level",
            "-sl",
            help="Score every segment. Plain output is sacrebleu -sl's (segments only, the fast route); "
            "with --json or --out the corpus scores come too.",
        ),
    ] = False,
    json_out: JsonOpt = False,
    out: OutOpt = None,
    input_format: FormatOpt = None,
    jobs: JobsOpt = 1,
) -> None:
    """Score HYP against references with sacrebleu (numbers equal sacrebleu's CLI)."""
    _check_jobs(jobs)
    options: dict[str, Any] = {
        "metrics": metrics,
        "tokenize": tokenize,
        "lowercase": lowercase or None,
        "smooth_method": smooth_method,
        "smooth_value": smooth_value,
        "chrf_word_order": chrf_word_order,
        "chrf_lowercase": chrf_lowercase or None,
        "ter_normalized": ter_normalized or None,
        "ter_case_sensitive": ter_case_sensitive or None,
    }
    with Executor(jobs, preload=WORKER_MODULES) as executor:
        result = score_file(
            str(hyp),
            [str(r) for r in ref],
            options,
            sentence_level=sentence_level or out is not None,
            corpus=json_out or out is not None or not sentence_level,
            executor=executor,
            fmt=input_format,
        )
    if out is not None and result.segments is not None:
        write_csv(out, result.segments)
    typer.echo(render_score(result, as_json=json_out, with_segments=sentence_level and out is None))


def render_score(result: ScoreResult, *, as_json: bool, with_segments: bool) -> str:
    """JSON object, or sacrebleu's score lines (after a TSV of segment scores if asked)."""
    if as_json:
        data: dict[str, Any] = {"corpus": {k: v.to_dict() for k, v in result.corpus.items()}}
        if result.segments is not None:
            data["segments"] = result.segments.to_dict("records")
        return json.dumps(data, ensure_ascii=False, indent=1)
    lines = []
    if with_segments and result.segments is not None:
        frame = result.segments
        lines.append("\t".join(frame.columns))
        for row in frame.itertuples(index=False):
            lines.append("\t".join(v if isinstance(v, str) else f"{v:.4f}" for v in row))
    lines += [entry.formatted for entry in result.corpus.values()]
    return "\n".join(lines)


@handle_errors
def compare(
    baseline: Annotated[Path, typer.Argument(metavar="BASELINE", help="Baseline system output.")],
    candidates: Annotated[
        list[Path], typer.Argument(metavar="CANDIDATE...", help="Candidate system output(s).")
    ],
    ref: RefOpt = [],  # noqa: B006 - Typer reads the default, never mutates it
    metrics: MetricsOpt = "bleu,chrf",
    tokenize: Annotated[
        str | None,
        typer.Option("--tokenize", "-tok", metavar="NAME", help="BLEU tokenizer [default: 13a]."),
    ] = None,
    chrf_word_order: Annotated[
        int | None,
        typer.Option("--chrf-word-order", "-cw", metavar="N", help="Word n-gram order; 2 gives chrF++."),
    ] = None,
    resamples: Annotated[
        int | None,
        typer.Option(
            "--resamples",
            metavar="N",
            help="Bootstrap resamples, or AR trials with --paired-ar [default: 1000 / 10000, as sacrebleu].",
        ),
    ] = None,
    paired_ar: Annotated[
        bool,
        typer.Option("--paired-ar", help="Approximate randomisation instead of paired bootstrap."),
    ] = False,
    max_drop: Annotated[
        float | None,
        typer.Option("--max-drop", metavar="X", help="Exit 1 on a significant drop larger than X points."),
    ] = None,
    top: Annotated[
        int,
        typer.Option("--top", metavar="N", help="Most improved/degraded segments to print."),
    ] = 5,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="PATH", help="Write all segment deltas to this CSV."),
    ] = None,
    json_out: JsonOpt = False,
    input_format: FormatOpt = None,
    jobs: JobsOpt = 1,
) -> None:
    """Compare CANDIDATEs with BASELINE: deltas, 95% CIs and p-values (sacrebleu's tests)."""
    _check_jobs(jobs)
    if resamples is not None and resamples < 1:
        raise ConfigError(f"--resamples must be at least 1, got {resamples}")
    options = {"metrics": metrics, "tokenize": tokenize, "chrf_word_order": chrf_word_order}
    with Executor(jobs, preload=WORKER_MODULES) as executor:
        result = compare_files(
            str(baseline),
            [str(c) for c in candidates],
            [str(r) for r in ref],
            options,
            test="ar" if paired_ar else "bs",
            resamples=resamples or 0,
            fmt=input_format,
            executor=executor,
        )
    if out is not None:
        write_csv(out, result.segments)
    failures = result.drops(max_drop) if max_drop is not None else []
    typer.echo(render_compare(result, top, failures, as_json=json_out))
    raise typer.Exit(1 if failures else 0)


def render_compare(result: Comparison, top: int, failures: list[str], *, as_json: bool) -> str:
    """One JSON object, or a plain-text table plus the most changed segments."""
    key = "chrf" if "chrf" in result.metrics else result.metrics[0]
    degraded, improved = most_changed(result.segments, key, top)
    if as_json:
        cols = ["candidate", "segment_id", f"{key}_delta", "baseline_text", "candidate_text"]
        return json.dumps(
            {
                "test": result.test,
                "comparisons": result.table.to_dict("records"),
                "most_degraded": degraded[cols].to_dict("records"),
                "most_improved": improved[cols].to_dict("records"),
                "gate_failures": failures,
                "passed": not failures,
            },
            ensure_ascii=False,
            indent=1,
        )
    lines = [f"Paired {'approximate randomisation' if result.test == 'ar' else 'bootstrap'} test"]
    for row in result.table.to_dict("records"):
        star = "*" if row["significant"] else " "
        lines.append(
            f"{row['candidate']}  {row['metric']:<4} {row['baseline']:6.2f} -> {row['score']:6.2f}  "
            f"delta {row['delta']:+6.2f} [{row['delta_ci_low']:+.2f}, {row['delta_ci_high']:+.2f}]  "
            f"p = {row['p_value']:.4f}{star}"
        )
    for title, frame in (("Most degraded", degraded), ("Most improved", improved)):
        if len(frame):
            lines.append(f"{title} segments ({key}):")
            for row in frame.to_dict("records"):
                lines.append(
                    f"  {row['candidate']} #{row['segment_id']} {row[f'{key}_delta']:+.1f}: "
                    f"{row['candidate_text'][:70]}"
                )
    lines += [f"FAIL: {msg}" for msg in failures]
    sigs = dict.fromkeys(result.table["signature"])
    lines += [f"signature: {sig}" for sig in sigs]
    return "\n".join(lines)
