"""Checks what scripts/e2e-train.sh produced (see its header)."""
import json
import os
import struct
import sys

from e2e_common import check

work = sys.argv[1]


def log(run):
    return [json.loads(line) for line in open(os.path.join(work, run, "train_log.jsonl"))]


def train_losses(run):
    return [e["loss"] for e in log(run) if e["type"] == "train"]


def safetensors_header(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(length))


lora = json.load(open(os.path.join(work, "lora.json")))
check(lora["status"] == "finished" and lora["method"] == "lora", "the LoRA run finished (run.json on stdout with --json)")
losses = train_losses("lora")
check(len(losses) == 20, "20 step lines in train_log.jsonl")
first, last = sum(losses[:5]) / 5, sum(losses[-5:]) / 5
check(last < first, f"the loss falls on real data: mean of the first 5 steps {first:.3f}, of the last 5 {last:.3f}")
validations = [e for e in log("lora") if e["type"] == "validation"]
check([v["step"] for v in validations] == [10, 20] and all("summarize" in v["task_loss"] for v in validations),
      "validation loss per task at steps 10 and 20")
check(lora["data"]["train"]["padding_fraction"] == 0, "packed batches: no padding")
config = json.load(open(os.path.join(work, "lora", "adapter_config.json")))
check(config["peft_type"] == "LORA" and config["r"] == 16 and config["lora_alpha"] == 32 and len(config["target_modules"]) == 7,
      "adapter_config.json is PEFT's: LoRA r=16, alpha=32, all seven linear layers")
header = safetensors_header(os.path.join(work, "lora", "adapter_model.safetensors"))
names = [n for n in header if n != "__metadata__"]
check(len(names) == 30 * 7 * 2, f"{len(names)} adapter tensors: A and B for 7 modules in 30 layers")
q = header["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"]
check(q["dtype"] == "F32" and q["shape"] == [576, 16], "PEFT's tensor names and shapes (q_proj lora_B [576, 16])")
check(os.path.exists(os.path.join(work, "lora", "best", "adapter_model.safetensors")), "the best validation model is kept in best/")
evaluation = json.load(open(os.path.join(work, "eval.json")))
check(evaluation["examples"] == 4 and evaluation["tasks"]["summarize"]["rouge1"]["f"] > 0, "curate eval --model RUN scores the adapter")
check(open(os.path.join(work, "lora.gguf"), "rb").read(4) == b"GGUF", "curate model export writes a GGUF")

full = json.load(open(os.path.join(work, "full.json")))
check(full["status"] == "finished" and full["method"] == "full", "the full fine-tuning run finished")
model = safetensors_header(os.path.join(work, "full", "model.safetensors"))
check(model["model.embed_tokens.weight"]["shape"] == [49152, 576] and "lm_head.weight" not in model,
      "model.safetensors is a transformers llama checkpoint with the head tied to the embedding")
check(json.load(open(os.path.join(work, "full", "config.json")))["num_hidden_layers"] == 30, "config.json describes the model")

resumed = train_losses("killed")
check(len(resumed) == 8 and [e["step"] for e in log("killed") if e["type"] == "train"] == list(range(1, 9)),
      "the killed and resumed run logged each of its 8 steps once")
