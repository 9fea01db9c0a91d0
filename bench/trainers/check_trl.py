"""Feeds curate shard folders to TRL's SFTTrainer exactly as a user would and checks what TRL
makes of them (README "Trainer formats"): the conversational prompt-completion format gets
SmolLM2's chat template and a completion mask covering only the answer; openai-chat gets the
chat template with loss on every token (assistant_only_loss needs a template with generation
markers, which SmolLM2's has not); plain prompt-completion gets completion-only loss on
untemplated text, the answer starting after the prompt's separator.

usage: python check_trl.py SMOLLM2.gguf CONVERSATIONAL_DIR OPENAI_CHAT_DIR PROMPT_COMPLETION_DIR
(a tiny random llama stands in for the model: only TRL's data preparation is exercised)."""
import os
import sys
import warnings

warnings.filterwarnings("ignore")
import datasets
import trl
from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM
from trl import SFTConfig, SFTTrainer

gguf, conversational, chat, plain = sys.argv[1:5]
datasets.disable_progress_bars()
tokenizer = AutoTokenizer.from_pretrained(os.path.dirname(os.path.abspath(gguf)), gguf_file=os.path.basename(gguf))
model = LlamaForCausalLM(LlamaConfig(vocab_size=len(tokenizer), hidden_size=16, intermediate_size=32, num_hidden_layers=1,
                                     num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=4096))


def prepared(folder):
    data = datasets.load_dataset(folder, split="train").select(range(8))
    args = SFTConfig(output_dir=os.path.join(os.environ.get("TMPDIR", "/tmp"), "trl-check"), max_length=4096, report_to=[], use_cpu=True, bf16=False,
                     dataset_num_proc=None)
    trainer = SFTTrainer(model=model, args=args, train_dataset=data, processing_class=tokenizer)
    batch = trainer.data_collator([trainer.train_dataset[0]])
    ids, labels = batch["input_ids"][0], batch["labels"][0]
    # What the model reads, and what the loss is computed on (labels not -100).
    return data[0], tokenizer.decode(ids), tokenizer.decode(ids[labels != -100])


def ok(condition, message):
    if not condition:
        sys.exit(f"FAIL: {message}")
    print(f"ok: {message}")


example, text, loss = prepared(conversational)
ok("<|im_start|>user" in text and "<|im_start|>assistant" in text, "conversational prompt-completion: SmolLM2's chat template is applied")
ok(loss.strip().startswith(example["completion"][0]["content"].strip()[:40]) and "<|im_start|>user" not in loss,
   f"conversational prompt-completion: loss on the answer alone ({loss[:60]!r}…)")

example, text, loss = prepared(chat)
ok("<|im_start|>assistant" in text, "openai-chat: read as conversational, chat template applied")
ok("<|im_start|>user" in loss, "openai-chat: loss on every token (TRL's assistant_only_loss needs generation markers SmolLM2's template lacks)")

example, text, loss = prepared(plain)
ok("<|im_start|>" not in text, "prompt-completion: plain text, no chat template")
ok(example["prompt"].endswith("\n") and loss.strip().startswith(example["completion"].strip()[:40]) and example["prompt"].strip()[-30:] not in loss,
   f"prompt-completion: the prompt ends with the separator and the loss covers the completion alone ({loss[:60]!r}…)")
print(f"TRL {trl.__version__}: all checks passed")
