#!/usr/bin/env python3
"""Golden token ids from Hugging Face transformers for the tokenizer curate reads from a GGUF.

transformers builds its tokenizer from the same GGUF metadata (AutoTokenizer with gguf_file=),
so matching it id for id checks curate's BPE, pre-tokenizer and special-token handling.

    make_token_golden.py MODEL.gguf OUT.json                       # hand-written strings only
    make_token_golden.py MODEL.gguf OUT.json --dialogsum FILE.jsonl... [--limit N]

transformers has no split rule for the "smollm" pre-tokenizer and falls back to GPT-2's, which
drops the digit isolation SmolLM2 was trained with (its published tokenizer.json runs
Digits(individual_digits=True) before ByteLevel; llama.cpp's "smollm" rule does the same). The
two agree almost everywhere, because the vocabulary has no multi-digit or space-digit tokens,
but not where a digit follows two or more spaces ("$  33": "ĠĠ" vs "Ġ" "Ġ") or a non-ASCII
numeral follows a space ("x ²"); 6 of DialogSum's 42,480 texts hit this. So "ids" come from transformers' GGUF tokenizer with
that published pre-tokenizer restored, and "ids_transformers_gguf" records the plain GGUF load
wherever it differs.

The hand-written set is committed as a test fixture; the DialogSum set is not (it would copy the
corpus into the repository) and is made on demand by check_tokenizer.sh.
Needs: transformers, tokenizers, gguf and torch (transformers' GGUF reader imports torch).
"""
import argparse
import json
import os

HANDWRITTEN = [
    "", " ", "  ", "\n", "\n\n", " \n ", "\t", "\r\n", "a", "A", "Hello world", "Hello  world", "Hello   world!",
    " leading space", "trailing space ", "multiple    spaces   inside", "tabs\tand\ttabs", "line one\nline two\n\nline four",
    "I'm", "you're", "we've", "they'll", "she'd", "it's", "don't", "I'M LOUD", "rock'n'roll", "'s", "'", "''",
    "12", "123", "1234567890", "3.14159", "1,000,000", "$5.99", "at 7 pm", "7pm", "x 2024 y", "10:30am", "+44 20 7946 0958",
    "½ ² ٣ Ⅻ", "#Person1#: Hi, how are you?\n#Person2#: Fine, thanks.",
    "#Person1# wants to book a table for two.\n#Person2# suggests 7 pm.",
    "café", "cafe\u0301", "naïve résumé", "Größe", "日本語のテキスト", "中文测试", "한국어", "Привет, мир!", "مرحبا بالعالم",
    "नमस्ते दुनिया", "ελληνικά", "emoji 😀", "😀😀😀", "👍🏽", "👨‍👩‍👧", "🇬🇧 flag", "★☆♥", "—–-", "“quotes” ‘single’",
    "non\u00a0breaking", "zero\u200bwidth", "ideographic\u3000space", "trailing newline\n", "  two leading",
    "end with spaces   ", "mixed \t\n whitespace", "a\n\n\nb", "punct!!!???...", "(parens) [brackets] {braces}",
    "email@example.com", "https://example.com/path?q=1&x=y", "snake_case_name", "camelCaseName", "C++ and C#",
    "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|im_start|>user\nHello!<|im_end|>\n<|im_start|>assistant\n",
    "text<|im_end|>more", " <|im_end|> ", "<|im_start|><|im_end|>", "<|im_start", "<repo_name>x<file_sep>",
    "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n",
    "Summarize the following dialogue.\n\n#Person1#: ...", "ALL CAPS SENTENCE HERE", "MiXeD cAsE",
    "don't you think it's 5 o'clock?", "it''s", "'tis", "l'amour", "O'Neill", "x'll've",
]


TEXT_KEYS = ("dialogue", "summary", "summary1", "summary2", "summary3", "topic", "topic1", "topic2", "topic3")


def dialogsum_strings(paths, limit):
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                out.extend(row[k] for k in TEXT_KEYS if isinstance(row.get(k), str))
    return out[:limit] if limit else out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("gguf")
    ap.add_argument("out")
    ap.add_argument("--dialogsum", nargs="+")
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()

    from tokenizers import pre_tokenizers
    from transformers import AutoTokenizer

    def load():
        return AutoTokenizer.from_pretrained(os.path.dirname(os.path.abspath(args.gguf)), gguf_file=os.path.basename(args.gguf))

    plain, tok = load(), load()
    tok.backend_tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=True),
    ])
    texts = dialogsum_strings(args.dialogsum, args.limit) if args.dialogsum else HANDWRITTEN
    rows = []
    for t in texts:
        row = {"text": t, "ids": tok.encode(t, add_special_tokens=False)}
        gguf_ids = plain.encode(t, add_special_tokens=False)
        if gguf_ids != row["ids"]:
            row["ids_transformers_gguf"] = gguf_ids
        rows.append(row)
    source = "transformers AutoTokenizer(gguf_file=%s)" % os.path.basename(args.gguf)
    with open(args.out, "w", encoding="utf-8") as f:  # one case per line keeps diffs readable
        f.write('{"source": %s, "cases": [\n' % json.dumps(source))
        f.write(",\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
        f.write("\n]}\n")
    differ = sum("ids_transformers_gguf" in r for r in rows)
    print("wrote %d cases to %s (%d where the plain GGUF load differs)" % (len(rows), args.out, differ))


if __name__ == "__main__":
    main()
