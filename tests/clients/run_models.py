"""Run tiny Hugging Face transformers / timm models and save every checked result to .npz.

A plain torch script (no jtorch import): run it with ``python run_models.py`` for torch's
answers and with ``python -m jtorch run run_models.py`` for jtorch's, then compare the files
(tests/clients/test_clients.py, compat_tests/clients.py).

    run_models.py OUT_DIR [--ref REF_DIR] NAME [NAME ...]

For each NAME it writes OUT_DIR/NAME.npz holding arrays keyed "<check>/<item>" and, when a
step raises, "error/<check>" with the exception text (the other checks still run). Saved
model directories go to OUT_DIR/NAME_st (safetensors) and OUT_DIR/NAME_bin
(pytorch_model.bin); with --ref, the models saved there by the other framework are loaded too.
Nothing is downloaded: every config is built here (HF_HUB_OFFLINE is set).
"""
import os
import sys
import traceback

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
import numpy as np  # noqa: E402
import torch  # noqa: E402

if torch.__name__ == "torch":
    # The test extra's torchvision wheel is a CUDA build whose compiled ops cannot load beside
    # CPU torch; its pure-Python parts (what timm imports) work once the module registering
    # fake kernels for those ops is stubbed (as tests/vision_ref.py does).
    import types
    sys.modules.setdefault("torchvision._meta_registrations",
                           types.ModuleType("torchvision._meta_registrations"))

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_models import HF_MODELS, TIMM_MODELS  # noqa: E402


def _np(t):
    return t.detach().to(torch.float64).numpy() if t.is_floating_point() else t.detach().numpy()


class Recorder:
    """Collects "<check>/<item>" arrays; a failing check stores its error and moves on."""

    def __init__(self):
        self.arrays = {}

    def put(self, check, item, value):
        self.arrays[f"{check}/{item}"] = value if isinstance(value, np.ndarray) else _np(value)

    def attempt(self, check, fn, *args):
        try:
            return fn(*args)
        except Exception as e:  # noqa: BLE001  (reported per check, compared by the test)
            tb = traceback.format_exc(limit=-3)
            self.arrays[f"error/{check}"] = np.array(f"{type(e).__name__}: {e}\n{tb}")
            return None


def _logits(out):
    return out.logits if hasattr(out, "logits") else out


def run_hf(name, out_dir, ref_dir):
    rec = Recorder()
    build = HF_MODELS[name]
    torch.manual_seed(0)
    model, inputs, labels, gen_inputs = build()
    model.eval()  # dropout off: every check is deterministic
    for k, v in model.state_dict().items():
        rec.put("params", k, v)

    def forward():
        with torch.no_grad():
            rec.put("logits", "out", _logits(model(**inputs)))
    rec.attempt("logits", forward)
    rec.attempt("save_load", save_load, model, inputs, name, out_dir, ref_dir, rec)

    def loss_grad_step():
        out = model(**inputs, labels=labels)
        rec.put("loss", "out", out.loss)
        out.loss.backward()
        for k, p in model.named_parameters():
            if p.grad is not None:
                rec.put("grads", k, p.grad)
        # eps=1e-3, not 1e-8: the first step moves a weight by lr * g / (|g| + eps), whose
        # sensitivity to g is lr / eps at |g| ~ 0; some gradients are zero in exact arithmetic
        # (GPT-2's key bias) or tiny after cancellation, and their float32 rounding (1e-11 on
        # either side) must not become lr-size steps. Every AdamW term is still exercised.
        opt = torch.optim.AdamW(model.parameters(), lr=1e-2, eps=1e-3)
        opt.step()
        for k, p in model.named_parameters():
            rec.put("adamw", k, p)
    rec.attempt("loss", loss_grad_step)

    if gen_inputs is not None:
        def generate(sample):
            torch.manual_seed(1)
            ids = model.generate(**gen_inputs, max_new_tokens=6, do_sample=sample,
                                 pad_token_id=0)
            rec.put("generate_sample" if sample else "generate_greedy", "ids", ids)
        rec.attempt("generate_greedy", generate, False)
        rec.attempt("generate_sample", generate, True)
    np.savez(os.path.join(out_dir, name + ".npz"), **rec.arrays)


def save_load(model, inputs, name, out_dir, ref_dir, rec):
    """Save in safetensors and in pytorch_model.bin; load both back (and, with ref_dir, the
    other framework's files); record each loaded model's logits."""
    st, bn = os.path.join(out_dir, name + "_st"), os.path.join(out_dir, name + "_bin")
    model.save_pretrained(st)
    model.config.save_pretrained(bn)
    torch.save(model.state_dict(), os.path.join(bn, "pytorch_model.bin"))
    dirs = {"own_st": st, "own_bin": bn}
    if ref_dir:
        dirs.update(ref_st=os.path.join(ref_dir, name + "_st"),
                    ref_bin=os.path.join(ref_dir, name + "_bin"))
    for key, d in dirs.items():
        loaded = type(model).from_pretrained(d).eval()
        with torch.no_grad():
            rec.put("save_load", key, _logits(loaded(**inputs)))


def run_timm(name, out_dir):
    import timm
    rec = Recorder()
    torch.manual_seed(0)
    model = timm.create_model(name, pretrained=False, **TIMM_MODELS[name]["kwargs"])
    rec.arrays["tree/str"] = np.array(str(model))
    for k, v in model.state_dict().items():
        rec.put("params", k, v)
    torch.manual_seed(1)
    x = torch.randn(*TIMM_MODELS[name]["input"])

    def forward_backward():
        model.eval()
        out = model(x)
        rec.put("forward", "out", out)
        out.pow(2).mean().backward()
        for k, p in model.named_parameters():
            if p.grad is not None:
                rec.put("grads", k, p.grad)
    rec.attempt("forward", forward_backward)
    np.savez(os.path.join(out_dir, name + ".npz"), **rec.arrays)


def main(argv):
    out_dir = argv[0]
    ref_dir = None
    names = argv[1:]
    if names[:1] == ["--ref"]:
        ref_dir, names = names[1], names[2:]
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        try:
            if name in HF_MODELS:
                run_hf(name, out_dir, ref_dir)
            else:
                run_timm(name, out_dir)
        except Exception as e:  # noqa: BLE001  (a model that cannot even be built)
            np.savez(os.path.join(out_dir, name + ".npz"),
                     **{"error/build": np.array(f"{type(e).__name__}: {e}\n"
                                                f"{traceback.format_exc(limit=-4)}")})


if __name__ == "__main__":
    main(sys.argv[1:])
