#!/usr/bin/env python3
"""The peer of bench/mix/run.sh: Hugging Face `datasets` builds the same 100,000-example
multi-task mixture curate builds, from the same per-(task, dataset) pools with the same
probabilities, and writes it as prompt-completion JSONL.

  load_dataset("json") per pool → interleave_datasets(probabilities, seed,
  stopping_strategy="all_exhausted") → select the first N → to_json

Usage: peer.py POOLS_DIR PROBABILITIES_JSON N OUT_JSONL
  POOLS_DIR holds one TASK__DATASET.jsonl per pool; PROBABILITIES_JSON maps that stem to its share.
"""
import json
import os
import sys

from datasets import interleave_datasets, load_dataset


def main():
    pools_dir, probabilities_path, n, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    probabilities = json.load(open(probabilities_path))
    stems = sorted(probabilities)
    pools = [load_dataset("json", data_files=os.path.join(pools_dir, f"{stem}.jsonl"), split="train") for stem in stems]
    mixed = interleave_datasets(pools, probabilities=[probabilities[s] for s in stems], seed=1, stopping_strategy="all_exhausted")
    mixed.select(range(n)).to_json(out, lines=True)
    print(n)


if __name__ == "__main__":
    main()
