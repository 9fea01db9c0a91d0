#!/usr/bin/env python3
"""Golden ROUGE scores and Porter stems from Google's rouge_score (and NLTK's PorterStemmer).

    make_rouge_golden.py OUT.json                          # hand-written and seeded-random cases
    make_rouge_golden.py OUT.json --dialogsum FILE.jsonl   # DialogSum summary pairs + its vocabulary

The first is committed as a test fixture; the second copies corpus text, so check_rouge.sh makes
it in a temporary directory. Needs: rouge-score (which brings nltk).
"""
import argparse
import json
import random
import re

from nltk.stem import porter
from rouge_score import rouge_scorer

TYPES = ["rouge1", "rouge2", "rouge3", "rougeL", "rougeLsum"]

HANDWRITTEN = [
    ("#Person1# wants to book a table for two.\n#Person2# suggests 7 pm.",
     "#Person1# is booking a table for two people at 7 pm."),
    ("", ""), ("", "something"), ("something", ""), ("...", "!!!"), ("a", "a"), ("the the the", "the"),
    ("The cat sat on the mat.", "The cat was sitting on the mat."),
    ("Running runners ran quickly; generalization, generously, relational.", "run runner runs quick general relate"),
    ("line one\nline two\n\nline three", "line three\nline one"),
    ("\n\n", "a\n"), (" \n ", " "), ("KELVIN \u212a and \u0130stanbul", "k and istanbul"),
    ("café naïve résumé", "cafe naive resume"), ("日本語 text", "text"), ("3.14 is pi, 42 is the answer", "pi is 3 14"),
    ("It's #Person2#'s turn; they'll decide.", "it s person2 s turn they ll decide"),
    ("happy happiness happily", "happi happy"), ("agreed feed plastered bled motoring sing", "agree feed plaster"),
    ("conflated troubled sized hopping tanned falling hissing fizzed failing filing",
     "conflate trouble size hop tan fall hiss fizz fail file"),
    ("skies dying lying tying news innings outings cannings howe proceed exceed succeed", "sky die lie tie"),
    ("yyyy syzygy toy boy enjoy", "toy boy"),
]

WORDS = ("caresses ponies ties caress cats feed agreed plastered bled motoring sing conflated troubled sized "
         "hopping tanned falling hissing fizzed failing filing happy sky relational conditional rational valenci "
         "hesitanci digitizer conformabli radicalli differentli vileli analogousli vietnamization predication "
         "operator feudalism decisiveness hopefulness callousness formaliti sensitiviti sensibiliti triplicate "
         "formative formalize electriciti electrical hopeful goodness revival allowance inference airliner "
         "gyroscopic adjustable defensible irritant replacement adjustment dependent adoption homologou communism "
         "activate angulariti homologous effective bowdlerize probate rate cease controll roll generously "
         "generalizations oscillators dies flies spied tried enjoyment logically analogies fully dully dying "
         "meeting meetings booking booked books reservation reserved table tables people suggests suggested "
         "summary summaries dialogue dialogues person wants wanted going goes went asks asked tells told "
         "yyyy syzygy abyss eyed ayes bye 2024 a1b2 international nationalities sensational ideological").split()


def scores(scorer, target, prediction, multi):
    s = scorer.score_multi(target, prediction) if multi else scorer.score(target, prediction)
    return {k: [round(v.precision, 10), round(v.recall, 10), round(v.fmeasure, 10)] for k, v in s.items()}


def random_text(rng):
    lines = []
    for _ in range(rng.randint(1, 3)):
        lines.append(" ".join(rng.choice(WORDS[:60] + ["the", "a", "to", "and", "Person1", "#Person2#:"])
                              for _ in range(rng.randint(0, 14))))
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--dialogsum")
    args = ap.parse_args()

    stemmer = porter.PorterStemmer()
    pairs, multi, words = [], [], list(WORDS)
    if args.dialogsum:
        with open(args.dialogsum, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f]
        for r in rows:
            refs = [r[k] for k in ("summary1", "summary2", "summary3") if k in r]
            pairs.append((refs[0], refs[-1]))
            multi.append((refs, r["dialogue"].split("\n")[0]))
            words += re.findall(r"[a-z0-9]+", " ".join(refs + [r["dialogue"]]).lower())
        words = sorted(set(words))
    else:
        rng = random.Random(20240607)
        pairs = HANDWRITTEN + [(random_text(rng), random_text(rng)) for _ in range(120)]
        multi = [([random_text(rng) for _ in range(rng.randint(1, 3))], random_text(rng)) for _ in range(25)]
        multi.append((["#Person1# wants to book a table for two.\n#Person2# suggests 7 pm.", "A table for two."],
                      "#Person1# is booking a table for two people at 7 pm."))

    cases = []
    for stem in (True, False):
        scorer = rouge_scorer.RougeScorer(TYPES, use_stemmer=stem)
        cases += [{"stem": stem, "targets": [t], "prediction": p, "scores": scores(scorer, t, p, False)} for t, p in pairs]
        cases += [{"stem": stem, "targets": t, "prediction": p, "scores": scores(scorer, t, p, True)} for t, p in multi]
    stems = {w: stemmer.stem(w) for w in words}
    with open(args.out, "w", encoding="utf-8") as f:
        f.write('{"stems": %s,\n"cases": [\n' % json.dumps(stems, ensure_ascii=False))
        f.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        f.write("\n]}\n")
    print("wrote %d cases and %d stems to %s" % (len(cases), len(stems), args.out))


if __name__ == "__main__":
    main()
