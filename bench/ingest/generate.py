#!/usr/bin/env python3
"""Writes synthetic chat logs of about SIZE_MB megabytes in three shapes, for bench/ingest/run.sh:

  chats.jsonl   curate's JSONL, one conversation per line (preset `curate`)
  messages.csv  one message per row: conv_id,seq,speaker,role,text (a declared mapping)
  messages.xml  an MSN Messenger log: <Log> of <Message DateTime SessionID> with From/User@FriendlyName
                and <Text>, one session per conversation (preset `msn`)

Seeded, so the same size gives the same bytes. Usage: generate.py SIZE_MB OUT_DIR
"""
import json
import random
import sys
from xml.sax.saxutils import escape

WORDS = ("my order parcel refund invoice charged twice password reset account roaming data "
         "delivery tomorrow sorry thanks please check help store card payment address change "
         "screen laptop repair warranty week today email link sent received number plan").split()


def sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 24))).capitalize() + "."


def conversations(rng):
    n = 0
    while True:
        n += 1
        yield f"c{n:08d}", [("Maya" if i % 2 == 0 else "Agent Bo", "customer" if i % 2 == 0 else "agent", sentence(rng))
                            for i in range(rng.randint(3, 10))]


def write(path, target, header, render, footer=""):
    rng = random.Random(1234)
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        f.write(header)
        for cid, turns in conversations(rng):
            chunk = render(cid, turns)
            f.write(chunk)
            size += len(chunk)
            if size >= target:
                break
        f.write(footer)


def main():
    target = int(float(sys.argv[1]) * 1_000_000)
    out = sys.argv[2]
    write(f"{out}/chats.jsonl", target, "", lambda cid, turns: json.dumps(
        {"id": cid, "turns": [{"speaker": s, "role": r, "text": t} for s, r, t in turns]}) + "\n")
    write(f"{out}/messages.csv", target, "conv_id,seq,speaker,role,text\n", lambda cid, turns: "".join(
        f'{cid},{i},{s},{r},"{t}"\n' for i, (s, r, t) in enumerate(turns)))
    write(f"{out}/messages.xml", target, '<?xml version="1.0"?>\n<Log>\n', lambda cid, turns: "".join(
        f'<Message DateTime="2024-05-01T10:{i:02d}:00.000Z" SessionID="{cid}"><From><User FriendlyName="{s}"/></From>'
        f'<Text Style="color:#000000">{escape(t)}</Text></Message>\n'
        for i, (s, r, t) in enumerate(turns)), "</Log>\n")


if __name__ == "__main__":
    main()
