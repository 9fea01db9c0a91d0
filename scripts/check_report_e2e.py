"""Assertions for scripts/e2e-report.sh: the page Chromium rendered is not blank, and each chart
in the DOM Chromium built has the bars (or lines) its inputs call for. Expected counts come from
the store, the mixture report and the fixture files, not from the page."""
import json
import os
import re
import sqlite3
import struct
import sys
import zlib

from e2e_common import check

work, fixtures = sys.argv[1], sys.argv[2]


def png_pixels(path):
    """(width, height, rows of RGB(A) bytes) of an 8-bit truecolour PNG, decoded with zlib."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour = header[:4]
    assert depth == 8 and colour in (2, 6), f"unexpected PNG format {depth}/{colour}"
    channels = 3 if colour == 2 else 4
    raw, stride, rows, prior = zlib.decompress(b"".join(chunks)), width * channels, [], bytearray(width * channels)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = prior[i], prior[i - channels] if i >= channels else 0
            if kind == 1: line[i] = (line[i] + left) & 255
            elif kind == 2: line[i] = (line[i] + up) & 255
            elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        rows.append(bytes(line))
        prior = line
    return width, height, channels, rows


width, height, channels, rows = png_pixels(os.path.join(work, "report.png"))
pixels = [row[i:i + 3] for row in rows for i in range(0, len(row), channels)]
ink = sum(1 for p in pixels if p != b"\xff\xff\xff")
bar_blue = sum(1 for p in pixels if abs(p[0] - 0x4e) < 8 and abs(p[1] - 0x79) < 8 and abs(p[2] - 0xa7) < 8)
check(width == 1200 and ink > width * height // 50, f"the screenshot is not blank: {ink} of {width * height} pixels are not white")
check(bar_blue > 2000, f"bars are drawn: {bar_blue} pixels in the first series colour")

dom = open(os.path.join(work, "dom.html"), encoding="utf-8").read()
charts = {m.group(1): m.group(2) for m in re.finditer(r'<svg class="chart" data-chart="([^"]+)"[^>]*>(.*?)</svg>', dom, re.S)}
bars = {name: body.count('class="bar"') for name, body in charts.items()}
lines = {name: body.count('class="series"') for name, body in charts.items()}

db = sqlite3.connect(os.path.join(work, "r.db"))
sources = db.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
report = json.loads(db.execute("SELECT report FROM mixtures WHERE name = 'demo'").fetchone()[0])
tasks = [l for l in report["lines"] if l["dataset"] is None]
check(bars.get("sources") == 4 * sources, f"sources chart: stored, duplicates, rejected, filtered for each of {sources} sources ({bars.get('sources')} bars)")
check(bars.get("shares") == 2 * len(report["lines"]), f"shares chart: requested and achieved for {len(report['lines'])} task/dataset lines")
for line in tasks:
    check(bars.get(f"lengths-{line['task']}") == 20, f"{line['task']} length histogram has 20 bins")
    check(bars.get(f"templates-{line['task']}") == len(line["templates"]), f"{line['task']}: a bar per template ({len(line['templates'])})")
check(bars.get("forms") == 4 * len(tasks), "forms chart: four forms per task")
forgetting = json.load(open(os.path.join(fixtures, "forgetting", "forgetting.json")))
check(bars.get("forgetting") == len(forgetting["arms"]) * len(forgetting["tasks"]), "forgetting chart: a bar per arm and task")
log = [json.loads(l) for l in open(os.path.join(fixtures, "run-lora", "train_log.jsonl"))]
series = {(k, r["type"]) for r in log for k in ["all"] + list(r.get("task_loss", {}))}
check(lines.get("loss-run-lora") == len(series), f"loss chart: a line per task, train and validation ({len(series)})")
check("Yelp-Dataset-Terms (NC)" in dom, "the Yelp source's licence is flagged non-commercial")
check("yelp_academic_dataset_review.head.jsonl" in dom and "malformed-json" in dom and "3611:111: not valid JSON" in dom,
      "the rejected Yelp line is shown with its reason and message")
check("0.3310" in dom and "eval-lora" in dom, "eval metrics per task from metrics.json")
check("http://" not in dom.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in dom and "<script" not in dom,
      "self-contained: no script, nothing fetched")
print("e2e: all report checks passed")
