#!/usr/bin/env python3
"""Peer for the DialogSum benchmark: the same work as curate's
ingest -> render summarize -> export prompt/completion JSONL, done with
Hugging Face `datasets`.

    load_dataset("json", ...)  ->  .map(summarize template)  ->  .to_json(JSONL)

All of the peer's work is in this file. It is timed from the outside by
measure.py (wall time and peak RSS of the whole process, interpreter start-up
and imports included, as for the curate binary).

Pass a fresh, empty --cache-dir for a cold run; pass the cache dir of an
earlier run for a warm one (then load_dataset reuses its Arrow files and .map
reuses its cached result, and only .to_json does real work).
"""

from __future__ import annotations

import argparse
import os
import sys

# The json builder is packaged with `datasets`; nothing needs the Hub. Keep it
# from trying (the benchmark machine may have no route to it).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

import datasets  # noqa: E402

# Same text as curate's summarize task for DialogSum.
TEMPLATE = "{dialogue}\n\nBriefly summarize that dialogue."


def summarize(batch: dict) -> dict:
    return {
        "prompt": [TEMPLATE.format(dialogue=d) for d in batch["dialogue"]],
        "completion": list(batch["summary"]),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", required=True, help="DialogSum train JSONL")
    ap.add_argument("--out", required=True, help="output JSONL path")
    ap.add_argument("--cache-dir", required=True, help="datasets cache dir")
    ap.add_argument("--quiet", action="store_true", help="no progress bars")
    args = ap.parse_args()

    if args.quiet:
        datasets.disable_progress_bars()
        datasets.logging.set_verbosity_error()

    ds = datasets.load_dataset(
        "json", data_files=args.train, split="train", cache_dir=args.cache_dir
    )
    ds = ds.map(summarize, batched=True, remove_columns=ds.column_names)
    # JSONL (lines=True is the default for .to_json); keep UTF-8 as-is.
    ds.to_json(args.out, lines=True, force_ascii=False)

    print(f"hf_datasets_peer: datasets {datasets.__version__}: "
          f"{ds.num_rows} rows -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
