"""Seeded mutation fuzzing of `curate ingest` (run by scripts/fuzz-test.sh).

Each committed fixture in Tests/CurateIngestTests/Fixtures is mutated with a seeded generator —
byte flips, truncations, stray quotes, NUL and invalid UTF-8 bytes, byte order marks, huge
lines, deep nesting, repeated or dropped lines, line-ending changes, or several at once — and
ingested into a fresh store, with its preset and with detection. Every input must end with
status 0, 3 (records rejected) or 1 with a one-line `error: …` message (no crash, no signal,
no raw Foundation or SQLite error text), within the time limit, and the counts it prints
must add up and equal the rows the store holds for it.

    python3 fuzz_ingest.py CURATE FIXTURES WORK INPUTS SEED
"""
import os
import random
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(__file__))
import store_check  # noqa: E402

# Fixture → its preset. Folders (a Slack export) are fuzzed through one of their day files.
SEEDS = {
    "dialogsum-test.jsonl": "dialogsum", "bad-lines.jsonl": "dialogsum", "openai-chat.jsonl": "openai-chat",
    "yelp.jsonl": "yelp", "helpdesk-tickets.jsonl": None, "samsum.json": "samsum", "sharegpt.json": "sharegpt",
    "sgd.json": "sgd", "taskmaster.json": "taskmaster", "botframework.transcript": "botframework",
    "bitext.csv": "bitext", "twcs.csv": "twcs", "samsum-diasynth.csv": "samsum-csv", "samsum-semicolon.csv": None,
    "nps-chat.xml": "nps-chat", "msn.xml": "msn", "adium.chatlog": "adium",
    "reliability/wrapped.json": "samsum", "reliability/twcs-pandas-floats.csv": "twcs", "slack-export": "slack",
}
TIME_LIMIT = 30
SIGNS_OF_A_CRASH = ("Fatal error", "NSCocoaErrorDomain", "SQLite error", "Stack dump", "Segmentation fault")


def mutate(data, rng):
    """One to three mutations of `data` (bytes)."""
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        data = rng.choice(MUTATIONS)(bytearray(data), rng)
    return bytes(data)


def at(data, rng):
    return rng.randrange(len(data) + 1)


def flip(data, rng):
    for _ in range(rng.randint(1, 8)):
        if data:
            data[rng.randrange(len(data))] ^= rng.randint(1, 255)
    return data


def truncate(data, rng):
    return data[:at(data, rng)]


def insert(data, rng, piece):
    position = at(data, rng)
    return data[:position] + piece + data[position:]


def quotes(data, rng):
    for _ in range(rng.randint(1, 4)):
        data = insert(data, rng, rng.choice([b'"', b"'", b'""', b'\\"', b'&', b'<', b'>', b'\\']))
    return data


def nul(data, rng):
    return insert(data, rng, b"\x00" * rng.randint(1, 3))


def invalid_utf8(data, rng):
    return insert(data, rng, rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xe2\x82", b"\xf8\x88\x80\x80\x80", b"\xc0\xaf"]))


def bom(data, rng):
    return b"\xef\xbb\xbf" + data if rng.random() < 0.6 else insert(data, rng, b"\xef\xbb\xbf")


def huge_line(data, rng):
    size = rng.choice([1 << 16, 1 << 20, 3 << 20])
    return insert(data, rng, rng.choice([b"a", b"\xc3\xa9", b" ", b'"']) * (size // 2))


def deep(data, rng):
    depth = rng.choice([300, 5_000, 100_000])
    piece = rng.choice([b"[" * depth, b'{"a":' * depth, b"<a>" * depth, b"[" * depth + b"]" * depth])
    return insert(data, rng, piece)


def lines(data, rng):
    rows = data.split(b"\n")
    if len(rows) < 2:
        return data
    i = rng.randrange(len(rows))
    choice = rng.random()
    if choice < 0.4:
        rows.insert(i, rows[rng.randrange(len(rows))])
    elif choice < 0.7:
        del rows[i]
    else:
        rows[i], rows[-1] = rows[-1], rows[i]
    return b"\n".join(rows)


def line_endings(data, rng):
    choice = rng.random()
    if choice < 0.4:
        return data.replace(b"\n", b"\r\n")
    if choice < 0.7:
        return data.replace(b"\n", b"")
    return data.replace(b"\n", b"\r")


MUTATIONS = [flip, flip, truncate, quotes, nul, invalid_utf8, bom, huge_line, deep, lines, line_endings]


def printed_counts(out, path):
    """read stored duplicates rejected from the table row of `path`."""
    for line in out.splitlines():
        if line.startswith(path + " "):
            numbers = line[len(path):].split()
            if len(numbers) == 4 and all(n.isdigit() for n in numbers):
                return tuple(map(int, numbers))
    return None


def run_one(curate, case):
    index, target, preset, shown = case
    store = os.path.join(os.path.dirname(target), "s.db")
    command = [curate, "ingest", target, "--store", store] + (["--preset", preset] if preset else [])
    try:
        result = subprocess.run(command, capture_output=True, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        return f"HANG (>{TIME_LIMIT} s): {shown}"
    err = result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8", "replace")
    if result.returncode not in (0, 1, 3) or any(sign in err for sign in SIGNS_OF_A_CRASH):
        return f"CRASH (status {result.returncode}): {shown}\n{err[-2000:]}"
    if result.returncode == 1:
        if not re.search(r"^error: \S", err, re.MULTILINE):
            return f"UNCLEAR ERROR: {shown}\n{err[-2000:]}"
        return None
    counts = printed_counts(out, target)
    if counts is None:
        return f"NO COUNTS: {shown}\n{out[-2000:]}"
    read, stored, duplicates, rejected = counts
    if read != stored + duplicates + rejected:
        return f"COUNTS DO NOT ADD UP ({counts}): {shown}"
    table = subprocess.run([sys.executable, store_check.__file__, "counts", store, target], capture_output=True, text=True)
    if tuple(map(int, table.stdout.split())) != (stored, duplicates, rejected):
        return f"TABLES {table.stdout.strip()} != PRINTED {stored} {duplicates} {rejected}: {shown}"
    return None


def cases(fixtures, work, inputs, seed):
    rng = random.Random(seed)
    names = sorted(SEEDS)
    for index in range(inputs):
        name = names[index % len(names)]
        preset = SEEDS[name] if rng.random() < 0.75 else None  # a quarter go through detection
        folder = os.path.join(work, f"{index:05d}")
        os.makedirs(folder)
        source = os.path.join(fixtures, name)
        if os.path.isdir(source):
            target = os.path.join(folder, "export")
            shutil.copytree(source, target)
            days = sorted(os.path.join(root, f) for root, _, files in os.walk(target) for f in files)
            victim = rng.choice(days)
            data = open(victim, "rb").read()
            open(victim, "wb").write(mutate(data, rng))
        else:
            target = os.path.join(folder, os.path.basename(name))
            open(target, "wb").write(mutate(open(source, "rb").read(), rng))
        yield index, target, preset, f"#{index} {name} ({preset or 'detected'}), kept in {folder}"


def main(curate, fixtures, work, inputs, seed):
    inputs, seed = int(inputs), int(seed)
    failures = []
    workers = os.cpu_count() or 2
    pending = cases(fixtures, work, inputs, seed)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        # A few inputs at a time, so the mutated files (some megabytes long) never pile up.
        while batch := [case for _, case in zip(range(4 * workers), pending)]:
            for case, failure in zip(batch, pool.map(lambda c: run_one(curate, c), batch)):
                if failure:
                    failures.append(failure)
                else:
                    shutil.rmtree(os.path.dirname(case[1]), ignore_errors=True)
    for failure in failures[:20]:
        print(failure, file=sys.stderr)
    if failures:
        sys.exit(f"fuzz: FAIL: {len(failures)} of {inputs} inputs (seed {seed}); failing inputs are kept in {work}")
    print(f"fuzz: {inputs} mutated inputs (seed {seed}) from {len(SEEDS)} fixtures: 0 crashes, 0 hangs, printed counts equal table counts")


if __name__ == "__main__":
    main(*sys.argv[1:])
