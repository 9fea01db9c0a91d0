#!/usr/bin/env python3
"""Timing helper for bench/dialogsum/run.sh (standard library only).

Subcommands:

  run     run one command N times under `/usr/bin/time -f '%e %M'` (wall
          seconds, peak RSS KiB), with an untimed setup before every
          repetition and a check after it; append one JSON record to the
          results file. Any failure (non-zero exit, failed check, wrong row
          count) stops with exit status 1 and the tail of the command's log.

  rows    count the JSON lines under a file or directory (*.jsonl, *.json,
          *.jsonl.gz, recursively) and optionally check that every line is a
          JSON object with the given keys. Prints the count.

  report  turn the results file into a markdown table and a JSON document.

GNU time's %M for a command is the ru_maxrss that wait4() gives for it: for a
`bash -c 'a && b && c'` chain that is the largest peak RSS of bash and of any
of its waited-for descendants, i.e. the max over the chain.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

TIME_BIN = os.environ.get("BENCH_TIME_BIN", "/usr/bin/time")


def die(msg: str) -> "None":
    print(f"measure.py: ERROR: {msg}", file=sys.stderr)
    sys.exit(1)


def tail(path: Path, n: int = 40) -> str:
    try:
        lines = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


def sh(cmd: str, what: str, log: Path, cwd: str | None) -> str:
    """Run an untimed shell snippet; die loudly if it fails. Returns stdout."""
    p = subprocess.run(["bash", "-c", "set -euo pipefail\n" + cmd],
                       cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
    with log.open("a") as f:
        f.write(f"\n--- {what}: {cmd}\n{p.stdout}{p.stderr}")
    if p.returncode != 0:
        die(f"{what} failed (exit {p.returncode}): {cmd}\n"
            f"{p.stdout[-2000:]}{p.stderr[-4000:]}")
    return p.stdout


def timed(argv: list[str], log: Path, cwd: str | None, ok_status: set[int] = frozenset({0})) -> tuple[float, int]:
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tpath = Path(tf.name)
    try:
        with log.open("a") as f:
            f.write(f"\n--- timed: {argv!r}\n")
            f.flush()
            p = subprocess.run([TIME_BIN, "-f", "%e %M", "-o", str(tpath),
                                "--", *argv],
                               cwd=cwd, stdout=f, stderr=subprocess.STDOUT)
        out = tpath.read_text().strip().splitlines()
    finally:
        tpath.unlink(missing_ok=True)
    if p.returncode not in ok_status:
        die(f"command exited with status {p.returncode}: {argv!r}\n"
            f"{' / '.join(out)}\n--- last lines of {log}:\n{tail(log)}")
    if not out:
        die(f"{TIME_BIN} wrote nothing for {argv!r}")
    try:
        wall_s, rss_kib = out[-1].split()
        return float(wall_s), int(rss_kib)
    except ValueError:
        die(f"cannot parse {TIME_BIN} output {out!r} (is it GNU time?)")
    raise AssertionError  # unreachable


# ---------------------------------------------------------------- rows

def iter_jsonl_files(path: Path):
    if path.is_file():
        yield path
        return
    if not path.is_dir():
        return
    for p in sorted(path.rglob("*")):
        # Data shards only: curate's sidecars (meta/) and manifest.json are bookkeeping.
        if p.is_file() and p.name.endswith((".jsonl", ".jsonl.gz")) and p.parent.name != "meta":
            yield p


def count_rows(path: Path, keys: list[str]) -> tuple[int, int, list[str]]:
    """Returns (rows, files, problems)."""
    rows = files = 0
    problems: list[str] = []
    for p in iter_jsonl_files(path):
        files += 1
        opener = gzip.open if p.name.endswith(".gz") else open
        with opener(p, "rt", encoding="utf-8") as f:
            for i, line in enumerate(f, 1):
                if not line.strip():
                    continue
                rows += 1
                if keys and len(problems) < 5:
                    try:
                        obj = json.loads(line)
                    except json.JSONDecodeError as e:
                        problems.append(f"{p}:{i}: not JSON ({e})")
                        continue
                    if not isinstance(obj, dict):
                        problems.append(f"{p}:{i}: not a JSON object")
                        continue
                    missing = [k for k in keys if k not in obj]
                    if missing:
                        problems.append(f"{p}:{i}: missing keys {missing}; "
                                        f"has {sorted(obj)}")
    return rows, files, problems


def cmd_rows(a) -> int:
    keys = [k for k in (a.keys or "").split(",") if k]
    rows, files, problems = count_rows(Path(a.path), keys)
    if files == 0:
        die(f"no JSONL files under {a.path}")
    for p in problems:
        print(f"measure.py: WARNING: {p}", file=sys.stderr)
    if problems and a.strict_keys:
        die("output rows do not have the expected keys")
    print(rows)
    return 0


# ---------------------------------------------------------------- run

def cmd_run(a) -> int:
    argv = a.argv[1:] if a.argv and a.argv[0] == "--" else a.argv
    if not argv:
        die("no command given (put it after --)")
    log_dir = Path(a.log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"{a.name}.log"
    log.write_text("")

    if a.prepare:
        print(f"  [{a.name}] prepare (untimed)", file=sys.stderr)
        sh(a.prepare, "prepare", log, a.cwd)

    walls: list[float] = []
    rsss: list[int] = []
    rows_seen: list[int] = []
    warnings: list[str] = []
    for rep in range(1, a.reps + 1):
        if a.setup:
            sh(a.setup, "setup", log, a.cwd)
        wall, rss = timed(argv, log, a.cwd, set(a.ok_status))
        for c in a.check:
            sh(c, "check", log, a.cwd)
        rows = None
        if a.rows_cmd:
            out = sh(a.rows_cmd, "rows", log, a.cwd).strip().splitlines()
            try:
                rows = int(out[-1])
            except (IndexError, ValueError):
                die(f"rows command printed {out!r}, not a count")
            rows_seen.append(rows)
            if rows == 0:
                die(f"{a.name}: output has 0 rows")
            if a.expect_rows is not None and rows != a.expect_rows:
                msg = (f"{a.name}: output has {rows} rows, "
                       f"expected {a.expect_rows}")
                if a.rows_mismatch == "fail":
                    die(msg)
                if msg not in warnings:
                    warnings.append(msg)
                    print(f"measure.py: WARNING: {msg}", file=sys.stderr)
        walls.append(wall)
        rsss.append(rss)
        print(f"  [{a.name}] rep {rep}/{a.reps}: {wall:.2f} s, "
              f"{rss / 1024:.1f} MiB" + (f", {rows} rows" if rows is not None
                                          else ""), file=sys.stderr)

    rec = {
        "name": a.name,
        "label": a.label or a.name,
        "command": argv,
        "cwd": a.cwd or os.getcwd(),
        "reps": a.reps,
        "wall_s": walls,
        "peak_rss_kib": rsss,
        "wall_s_median": statistics.median(walls),
        "peak_rss_mib_median": statistics.median(rsss) / 1024,
        "records": a.records,
        "input_bytes": a.bytes,
        "output_rows": rows_seen or None,
        "warnings": warnings,
    }
    med = rec["wall_s_median"]
    if a.records and med > 0:
        rec["conv_per_s"] = a.records / med
    if a.bytes and med > 0:
        rec["mb_per_s"] = a.bytes / 1e6 / med
    with open(a.results, "a") as f:
        f.write(json.dumps(rec) + "\n")
    return 0


# ---------------------------------------------------------------- report

def fmt(x, spec: str) -> str:
    return "—" if x is None else format(x, spec)


def cmd_report(a) -> int:
    recs = []
    if Path(a.results).exists():
        recs = [json.loads(l) for l in Path(a.results).read_text().splitlines()
                if l.strip()]
    if not recs:
        die(f"no measurements in {a.results}")
    by = {r["name"]: r for r in recs}
    meta = {}
    for kv in a.meta:
        k, _, v = kv.partition("=")
        meta[k] = v
    meta.setdefault("date_utc", _dt.datetime.now(_dt.timezone.utc)
                    .strftime("%Y-%m-%dT%H:%M:%SZ"))
    meta.setdefault("host", platform.node())
    meta.setdefault("cpus", str(os.cpu_count()))
    meta.setdefault("cpu_model", _cpu_model())
    meta.setdefault("kernel", platform.release())

    ratios = {}
    cur = by.get(a.curate_e2e)
    for peer_name in a.peer:
        peer = by.get(peer_name)
        if not (cur and peer):
            continue
        ratios[f"{peer_name}/{a.curate_e2e}"] = {
            "time": peer["wall_s_median"] / cur["wall_s_median"]
            if cur["wall_s_median"] > 0 else None,
            "peak_rss": peer["peak_rss_mib_median"] / cur["peak_rss_mib_median"]
            if cur["peak_rss_mib_median"] > 0 else None,
        }

    L = []
    L.append(f"# DialogSum benchmark: curate vs Hugging Face datasets\n")
    L.append(" | ".join(f"{k}: {v}" for k, v in meta.items()) + "\n")
    L.append(f"Median of {recs[0]['reps']} runs each "
             f"(wall and peak RSS medians taken separately). "
             f"conv/s and MB/s are over the train file "
             f"(MB = 10^6 bytes); — where not meaningful.\n")
    L.append("| row | what | wall s (median) | wall s (min–max) "
             "| peak RSS MiB (median) | conv/s | MB/s | output rows |")
    L.append("|---|---|---:|---:|---:|---:|---:|---:|")
    for r in recs:
        rows = r.get("output_rows")
        rows_s = "—" if not rows else (
            str(rows[0]) if len(set(rows)) == 1 else "/".join(map(str, rows)))
        L.append(
            f"| {r['name']} | {r['label']} | {r['wall_s_median']:.2f} "
            f"| {min(r['wall_s']):.2f}–{max(r['wall_s']):.2f} "
            f"| {r['peak_rss_mib_median']:.1f} "
            f"| {fmt(r.get('conv_per_s'), ',.0f')} "
            f"| {fmt(r.get('mb_per_s'), '.2f')} | {rows_s} |")
    L.append("")
    if ratios:
        L.append(f"Ratios datasets ÷ curate ({a.curate_e2e}); "
                 f">1 means curate is faster / smaller:\n")
        L.append("| peer ÷ curate | time | peak RSS |")
        L.append("|---|---:|---:|")
        for k, v in ratios.items():
            L.append(f"| {k} | {fmt(v['time'], '.2f')}× "
                     f"| {fmt(v['peak_rss'], '.2f')}× |")
        L.append("")
    else:
        L.append(f"Ratios: not computed ({a.curate_e2e} or peer rows "
                 f"missing).\n")
    warns = [w for r in recs for w in r.get("warnings", [])]
    if warns:
        L.append("Warnings:\n")
        L.extend(f"- {w}" for w in warns)
        L.append("")
    md = "\n".join(L)

    Path(a.md).parent.mkdir(parents=True, exist_ok=True)
    Path(a.md).write_text(md)
    Path(a.json).write_text(json.dumps(
        {"meta": meta, "measurements": recs, "ratios": ratios}, indent=2)
        + "\n")
    print(md)
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description="benchmark timing helper")
    sub = ap.add_subparsers(dest="cmd", required=True)

    r = sub.add_parser("run", help="time a command N times")
    r.add_argument("--name", required=True)
    r.add_argument("--label")
    r.add_argument("--reps", type=int, default=3)
    r.add_argument("--results", required=True, help="JSONL file to append to")
    r.add_argument("--log-dir", required=True)
    r.add_argument("--cwd")
    r.add_argument("--prepare", help="shell, once before all reps, untimed")
    r.add_argument("--setup", help="shell, before every rep, untimed")
    r.add_argument("--check", action="append", default=[],
                   help="shell, after every rep, must exit 0 (repeatable)")
    r.add_argument("--rows-cmd", help="shell printing the output row count")
    r.add_argument("--expect-rows", type=int)
    r.add_argument("--rows-mismatch", choices=["fail", "warn"], default="fail")
    r.add_argument("--ok-status", type=int, action="append", default=[0],
                   help="exit statuses that count as success (curate exits 3 when it rejected records)")
    r.add_argument("--records", type=int, help="conversations processed")
    r.add_argument("--bytes", type=int, help="input bytes processed")
    r.add_argument("argv", nargs=argparse.REMAINDER)
    r.set_defaults(func=cmd_run)

    c = sub.add_parser("rows", help="count JSONL rows under a path")
    c.add_argument("path")
    c.add_argument("--keys", help="comma-separated keys every row must have")
    c.add_argument("--strict-keys", action="store_true",
                   help="fail (not warn) when keys are missing")
    c.set_defaults(func=cmd_rows)

    p = sub.add_parser("report", help="write markdown + JSON")
    p.add_argument("--results", required=True)
    p.add_argument("--md", required=True)
    p.add_argument("--json", required=True)
    p.add_argument("--curate-e2e", default="c_curate_e2e")
    p.add_argument("--peer", action="append", default=[])
    p.add_argument("--meta", action="append", default=[], help="key=value")
    p.set_defaults(func=cmd_report)

    a = ap.parse_args()
    if a.cmd == "run" and a.reps < 1:
        die("--reps must be >= 1")
    return a.func(a)


if __name__ == "__main__":
    sys.exit(main())
