"""The llama.cpp side of curate-train-bench: llama-cpp-python (2 threads) on the same GGUF.

    bench_llamacpp.py MODEL.gguf generate [PROMPT_TOKENS=256] [STEPS=64]
    bench_llamacpp.py MODEL.gguf eval DIALOGSUM_TEST_JSONL [EXAMPLES=32]
    bench_llamacpp.py MODEL.gguf quantize OUT.gguf q8_0|f32

generate: prefill tok/s of the same pseudo-prompt curate-train-bench uses, and greedy decode
tok/s at batch 1 and 8 (8 sequences in one llama_decode per step, as the Llama class has no
batch API), each the best of three. eval: DialogSum summaries with create_chat_completion
(greedy, 64 new tokens, one at a time), in examples per minute. quantize: llama.cpp's own
llama_model_quantize, for the Q8_0 and F32 variants of a file.
"""
import ctypes
import json
import sys
import time

import llama_cpp as ll
import numpy as np

THREADS = 2


def load(path, n_ctx, n_seq):
    ll.llama_backend_init()
    mparams = ll.llama_model_default_params()
    model = ll.llama_model_load_from_file(path.encode(), mparams)
    cparams = ll.llama_context_default_params()
    cparams.n_ctx, cparams.n_batch, cparams.n_ubatch, cparams.n_seq_max = n_ctx, 512, 512, n_seq
    cparams.n_threads = cparams.n_threads_batch = THREADS
    return model, ll.llama_init_from_model(model, cparams)


def decode(ctx, entries, n_vocab):
    """entries: (token, position, sequence, wants_logits). Returns the logits rows asked for."""
    batch = ll.llama_batch_init(len(entries), 0, 1)
    for i, (token, pos, seq, logits) in enumerate(entries):
        batch.token[i], batch.pos[i], batch.n_seq_id[i] = token, pos, 1
        batch.seq_id[i][0], batch.logits[i] = seq, logits
    batch.n_tokens = len(entries)
    if ll.llama_decode(ctx, batch) != 0:
        raise RuntimeError("llama_decode failed")
    rows = [np.ctypeslib.as_array(ll.llama_get_logits_ith(ctx, i), shape=(n_vocab,)).copy()
            for i, e in enumerate(entries) if e[3]]
    ll.llama_batch_free(batch)
    return rows


def best(fn, runs=3):
    return min(fn() for _ in range(runs))


def generate(path, prompt_tokens, steps):
    model, ctx = load(path, n_ctx=max(prompt_tokens + 8, 8 * (64 + steps)) + 64, n_seq=8)
    n_vocab = ll.llama_vocab_n_tokens(ll.llama_model_get_vocab(model))
    memory = ll.llama_get_memory(ctx)
    prompt = [1000 + (i * 7919) % 20000 for i in range(prompt_tokens)]

    def prefill():
        ll.llama_memory_clear(memory, True)
        t0 = time.perf_counter()
        for start in range(0, len(prompt), 512):
            chunk = prompt[start:start + 512]
            decode(ctx, [(t, start + i, 0, start + i == len(prompt) - 1) for i, t in enumerate(chunk)], n_vocab)
        return time.perf_counter() - t0

    print(f"llama.cpp {ll.__version__}, {THREADS} threads, {path.rsplit('/', 1)[-1]}")
    print(f"prefill {prompt_tokens} tokens: {prompt_tokens / best(prefill):.1f} tok/s")
    for size in (1, 8):
        prompts = [[t + b for t in prompt[:64]] for b in range(size)]

        def run():
            ll.llama_memory_clear(memory, True)
            last = []
            for b, p in enumerate(prompts):
                last.append(decode(ctx, [(t, i, b, i == len(p) - 1) for i, t in enumerate(p)], n_vocab)[0])
            tokens = [int(np.argmax(row)) for row in last]
            t0 = time.perf_counter()
            for step in range(steps):
                rows = decode(ctx, [(tokens[b], 64 + step, b, True) for b in range(size)], n_vocab)
                tokens = [int(np.argmax(row)) for row in rows]
            return time.perf_counter() - t0

        print(f"decode batch {size}: {size * steps / best(run):.1f} tok/s ({steps} steps after a 64-token prompt)")


def evaluate(path, test_jsonl, examples):
    from rouge_score import rouge_scorer
    llm = ll.Llama(model_path=path, n_ctx=2048, n_threads=THREADS, n_threads_batch=THREADS, verbose=False)
    rows = [json.loads(line) for line in open(test_jsonl)][:examples]
    t0 = time.perf_counter()
    generated, predictions = 0, []
    for row in rows:
        out = llm.create_chat_completion(
            messages=[{"role": "user", "content": "Summarize the following dialogue.\n\n" + row["dialogue"]}],
            max_tokens=64, temperature=0.0, top_k=1)
        generated += out["usage"]["completion_tokens"]
        predictions.append(out["choices"][0]["message"]["content"])
    seconds = time.perf_counter() - t0
    print(f"{len(rows)} examples in {seconds:.1f} s: {len(rows) / seconds * 60:.1f} examples/min, "
          f"{generated / seconds:.1f} generated tok/s (create_chat_completion, one at a time)")
    # ROUGE as curate computes it: stemmed, best F over the references, averaged.
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    for kind in ["rouge1", "rouge2", "rougeL"]:
        best_f = [max(scorer.score(row[k], p)[kind].fmeasure for k in ("summary1", "summary2", "summary3", "summary") if k in row)
                  for row, p in zip(rows, predictions)]
        print(f"{kind:<10}F {sum(best_f) / len(best_f):.4f}")


def quantize(path, out, kind):
    params = ll.llama_model_quantize_default_params()
    params.ftype = {"q8_0": ll.LLAMA_FTYPE_MOSTLY_Q8_0, "f32": ll.LLAMA_FTYPE_ALL_F32}[kind]
    params.nthread = THREADS
    params.allow_requantize = True  # the source file is Q4_1 itself
    if ll.llama_model_quantize(path.encode(), out.encode(), ctypes.byref(params)) != 0:
        raise SystemExit(f"llama_model_quantize failed for {out}")
    print(out)


if __name__ == "__main__":
    model_path, command, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == "generate":
        generate(model_path, int(rest[0]) if rest else 256, int(rest[1]) if len(rest) > 1 else 64)
    elif command == "eval":
        evaluate(model_path, rest[0], int(rest[1]) if len(rest) > 1 else 32)
    elif command == "quantize":
        quantize(model_path, rest[0], rest[1])
    else:
        raise SystemExit(__doc__)
