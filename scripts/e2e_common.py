"""What the end-to-end checkers (check_*_e2e.py) share: reporting a check, comparing two runs'
outputs byte for byte, and reading the shard sidecars with the split each line is in."""
import json
import os
import sys


def check(condition, message):
    if not condition:
        sys.exit(f"e2e: FAIL: {message}")
    print(f"ok: {message}")


def files_under(folder):
    """Every file below folder, as paths relative to it (meta/ sidecars included), sorted."""
    return sorted(os.path.relpath(os.path.join(root, name), folder) for root, _, names in os.walk(folder) for name in names)


def check_identical_runs(first, second):
    """Every file of two output folders of the same recipe and seed is byte-identical."""
    names = files_under(first)
    check(names == files_under(second), f"both runs write the same {len(names)} files")
    for name in names:
        same = open(os.path.join(first, name), "rb").read() == open(os.path.join(second, name), "rb").read()
        check(same, f"{name} is byte-identical across runs")


def sidecar_lines(folder, manifest):
    """(split, meta) for every line of every sidecar (meta/) the manifest lists, failing if a
    conversation shows up in two splits."""
    owner = {}
    for shard in manifest["shards"]:
        if shard["kind"] != "meta":
            continue
        for line in open(os.path.join(folder, shard["file"]), encoding="utf-8"):
            meta = json.loads(line)
            prior = owner.setdefault(meta["conversation"], shard["split"])
            if prior != shard["split"]:
                sys.exit(f"e2e: FAIL: conversation {meta['conversation']} is in {prior} and {shard['split']}")
            yield shard["split"], meta
