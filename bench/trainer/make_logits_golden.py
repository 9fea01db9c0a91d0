#!/usr/bin/env python3
"""Golden logits and greedy generations from Hugging Face transformers (float32, CPU) for the
same GGUF curate loads.

    make_logits_golden.py MODEL.gguf OUT.json                               # hand-written prompts
    make_logits_golden.py MODEL.gguf OUT.json --dialogsum FILE.jsonl --n 20  # DialogSum prompts

For each prompt (a user message rendered with the model's ChatML template) it records the
prompt's token ids, the top-k logits of the next token with the log-sum-exp of all logits (so
probabilities can be compared after softmax), and the greedy continuation. The DialogSum golden
is not committed (it is derived from the corpus); check_parity.sh makes it in a temp dir.
Needs: torch, transformers, gguf.
"""
import argparse
import json
import os
import time

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

HANDWRITTEN = [
    "What is the capital of France?",
    "Write a haiku about the sea.",
    "Summarize the following dialogue.\n\n#Person1#: Hi, I'd like to book a table for two tonight.\n"
    "#Person2#: Certainly. What time would you like?\n#Person1#: Around 7 pm, please.\n#Person2#: Done.",
    "List three prime numbers greater than 100.",
    "Translate 'good morning' into Spanish.",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf")
    ap.add_argument("out")
    ap.add_argument("--dialogsum")
    ap.add_argument("--n", type=int, default=20)
    ap.add_argument("--max-new-tokens", type=int, default=40)
    ap.add_argument("--top-k", type=int, default=20)
    args = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(os.cpu_count() or 1)
    d, f = os.path.dirname(os.path.abspath(args.gguf)), os.path.basename(args.gguf)
    tok = AutoTokenizer.from_pretrained(d, gguf_file=f)
    model = AutoModelForCausalLM.from_pretrained(d, gguf_file=f, dtype=torch.float32)
    model.eval()

    if args.dialogsum:
        with open(args.dialogsum, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh][: args.n]
        prompts = ["Summarize the following dialogue.\n\n" + r["dialogue"] for r in rows]
    else:
        prompts = HANDWRITTEN

    cases, seconds, new_tokens = [], 0.0, 0
    for p in prompts:
        text = tok.apply_chat_template([{"role": "user", "content": p}], tokenize=False, add_generation_prompt=True)
        ids = tok.encode(text, add_special_tokens=False)
        x = torch.tensor([ids])
        with torch.no_grad():
            logits = model(x).logits[0, -1].double()
            t0 = time.time()
            out = model.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=args.max_new_tokens, do_sample=False,
                                 eos_token_id=[tok.convert_tokens_to_ids("<|im_end|>"), tok.eos_token_id],
                                 pad_token_id=tok.eos_token_id)
            seconds += time.time() - t0
        gen = out[0, len(ids):].tolist()
        new_tokens += len(gen)
        top = torch.topk(logits, args.top_k)
        cases.append({
            "chat": text, "prompt_ids": ids,
            "top_ids": top.indices.tolist(), "top_logits": top.values.tolist(),
            "logsumexp": torch.logsumexp(logits, 0).item(),
            "greedy": gen,
        })
    with open(args.out, "w", encoding="utf-8") as fh:
        fh.write('{"source": %s, "max_new_tokens": %d, "cases": [\n' % (json.dumps("transformers float32 " + f), args.max_new_tokens))
        fh.write(",\n".join(json.dumps(c, ensure_ascii=False) for c in cases))
        fh.write("\n]}\n")
    print("wrote %d cases to %s; HF generate: %.1f new tok/s (batch 1)" % (len(cases), args.out, new_tokens / seconds))


if __name__ == "__main__":
    main()
