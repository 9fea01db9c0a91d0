#!/usr/bin/env python3
"""The reference side of curate-train-bench generate: transformers float32 on CPU, same GGUF,
same pseudo-prompt (ids 1000 + (i*7919) % 20000), same step counts, best of three runs.

    bench_hf.py MODEL.gguf [PROMPT_TOKENS=256] [STEPS=64]
    bench_hf.py MODEL.gguf eval DIALOGSUM_TEST_JSONL [EXAMPLES=32] [BATCH=8]   # as eval-dialogsum
"""
import os
import sys
import time

import torch
from transformers import AutoModelForCausalLM


def eval_dialogsum(model, path, data, examples, batch):
    """Summaries of the first EXAMPLES dialogues, greedy, 64 new tokens, batched with left padding."""
    import json
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(os.path.dirname(path), gguf_file=os.path.basename(path))
    tok.padding_side = "left"
    with open(data, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f][:examples]
    stops = [tok.convert_tokens_to_ids("<|im_end|>"), tok.eos_token_id]
    t0 = time.time()
    for i in range(0, len(rows), batch):
        chats = [tok.apply_chat_template([{"role": "user", "content": "Summarize the following dialogue.\n\n" + r["dialogue"]}],
                                         tokenize=False, add_generation_prompt=True) for r in rows[i:i + batch]]
        enc = tok(chats, return_tensors="pt", padding=True, add_special_tokens=False)
        with torch.no_grad():
            model.generate(**enc, max_new_tokens=64, do_sample=False, eos_token_id=stops, pad_token_id=tok.eos_token_id)
    t = time.time() - t0
    print("%d examples in %.1f s: %.1f examples/min (batch %d)" % (len(rows), t, len(rows) / t * 60, batch))


def main():
    path = sys.argv[1]
    torch.set_num_threads(os.cpu_count() or 1)
    t0 = time.time()
    model = AutoModelForCausalLM.from_pretrained(os.path.dirname(path), gguf_file=os.path.basename(path), dtype=torch.float32).eval()
    print("load + dequantize: %.2f s" % (time.time() - t0))
    if len(sys.argv) > 2 and sys.argv[2] == "eval":
        args = sys.argv[3:]
        return eval_dialogsum(model, path, args[0], int(args[1]) if len(args) > 1 else 32, int(args[2]) if len(args) > 2 else 8)
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    steps = int(sys.argv[3]) if len(sys.argv) > 3 else 64
    prompt = [1000 + (i * 7919) % 20000 for i in range(n)]
    def best(fn):
        times = []
        for _ in range(3):
            t0 = time.time()
            fn()
            times.append(time.time() - t0)
        return min(times)

    with torch.no_grad():
        model(torch.tensor([prompt[:16]]))
        t = best(lambda: model(torch.tensor([prompt])))
        print("prefill %d tokens: %.1f tok/s" % (n, n / t))
        for batch in (1, 8):
            x = torch.tensor([[t + b for t in prompt[:64]] for b in range(batch)])
            t = best(lambda: model.generate(x, attention_mask=torch.ones_like(x), max_new_tokens=steps,
                                            min_new_tokens=steps, do_sample=False, pad_token_id=0))
            print("decode batch %d: %.1f tok/s (%d steps after a 64-token prompt, prefill included)" % (batch, batch * steps / t, steps))


if __name__ == "__main__":
    main()
