"""Real client code on jtorch: tiny Hugging Face transformers and timm models, compared with torch.

    python -m compat_tests.clients [--summary] [NAME ...]

runs tests/clients/run_models.py once under torch and once under ``python -m jtorch run``
(one subprocess each for all models), then prints, per model, which checks match torch. The
same functions serve tests/clients/test_clients.py.
"""
import importlib.util
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "tests", "clients", "run_models.py")

HF_NAMES = ("gpt2", "llama", "bert", "t5", "roberta", "mistral", "vit", "whisper")
TIMM_NAMES = ("resnet18", "convnext_atto", "vit_tiny_patch16_224", "efficientnet_b0")
HF_CHECKS = ("params", "logits", "loss", "grads", "adamw", "generate_greedy", "generate_sample",
             "save_load")
ENCODER_ONLY = ("bert", "roberta", "vit")  # no generate()
TIMM_CHECKS = ("tree", "params", "forward", "grads")
RTOL, ATOL = 1e-5, 1e-6
# One AdamW step (lr 1e-2, eps 1e-3) moves a weight by ~lr * g / (|g| + eps), which magnifies
# the rounding of tiny gradients up to lr / eps = 10x; 1e-3 * lr absolute still catches any
# wrong update term, which would be of size lr.
ATOL_OF = {"adamw": 1e-5,
           # a timm forward's logits (scale ~1) after 12 ViT blocks: float32 rounding in the
           # matmuls and norms reaches 1.5e-6 against torch's scalar DEFAULT kernels (a CPU
           # without AVX2; `make test-other-cpu`), so an entry near zero needs 2e-6
           "forward": 2e-6}

# torch.distributed submodules transformers imports when torch.distributed.is_available()
DISTRIBUTED_NEEDED = ("tensor", "tensor.placement_types", "tensor._utils", "device_mesh",
                      "_functional_collectives", "fsdp", "_composable.fsdp")


def checks_of(name):
    if name in TIMM_NAMES:
        return TIMM_CHECKS
    return tuple(c for c in HF_CHECKS
                 if not (name in ENCODER_ONLY and c.startswith("generate")))


def library_of(name):
    return "timm" if name in TIMM_NAMES else "transformers"


def installed(library):
    return importlib.util.find_spec(library) is not None


def distributed_gap():
    """The torch.distributed submodules transformers imports (because jtorch.distributed
    says it is available) that jtorch lacks; empty when none are missing."""
    import jtorch.distributed as dist
    if not dist.is_available():
        return []
    missing = []
    for sub in DISTRIBUTED_NEEDED:
        try:
            found = importlib.util.find_spec("jtorch.distributed." + sub)
        except ModuleNotFoundError:
            found = None
        if found is None:
            missing.append("torch.distributed." + sub)
    return missing


def _env():
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               TRANSFORMERS_VERBOSITY="error", HF_HUB_DISABLE_PROGRESS_BARS="1",
               TQDM_DISABLE="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (ROOT, env.get("PYTHONPATH")) if p)
    return env


def run(names, root, timeout=900):
    """Run ``names`` under torch into root/torch, then under jtorch into root/jtorch (which
    also loads the models torch saved). Returns the two directories."""
    tdir, jdir = os.path.join(root, "torch"), os.path.join(root, "jtorch")
    for cmd in ([sys.executable, SCRIPT, tdir, *names],
                [sys.executable, "-m", "jtorch", "run", SCRIPT, jdir, "--ref", tdir, *names]):
        subprocess.run(cmd, env=_env(), timeout=timeout, cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return tdir, jdir


def _load(path):
    if not os.path.exists(path):
        return {"error/build": "no result file (the run crashed or timed out)"}
    with np.load(path) as z:
        return {k: z[k] for k in z.files}


def _items(data, check):
    return {k.split("/", 1)[1]: v for k, v in data.items() if k.startswith(check + "/")}


def _differs(ref, got, atol=ATOL):
    """None when ``got`` equals torch's ``ref`` (ids and text exactly, floats within RTOL),
    else a short reason."""
    if ref.dtype.kind in "US" or got.dtype.kind in "US":
        return None if str(ref) == str(got) else "differs"
    if ref.shape != got.shape:
        return f"shape {got.shape} != torch's {ref.shape}"
    if ref.dtype.kind != "f":
        return None if np.array_equal(ref, got) else "values differ"
    if np.allclose(got, ref, rtol=RTOL, atol=atol, equal_nan=True):
        return None
    err = np.max(np.abs(got - ref) / (atol + RTOL * np.abs(ref)))
    return f"max error {err:.3g}x the tolerance"


def compare_check(ref, got, check):
    """None when check ``check`` matches torch, else the reason."""
    if "error/build" in got or f"error/{check}" in got:
        msg = str(got.get("error/build", got.get(f"error/{check}")))
        return "jtorch raised " + msg.strip().splitlines()[-1][:300]
    if "error/build" in ref or f"error/{check}" in ref:
        msg = str(ref.get("error/build", ref.get(f"error/{check}")))
        return "torch itself failed: " + msg[:300]
    r, g = _items(ref, check), _items(got, check)
    if check == "save_load":  # every loaded model (own and torch's files) gives torch's logits
        base = _items(ref, "logits")["out"]
        r = {k: base for k in g}
        if set(g) != {"own_st", "own_bin", "ref_st", "ref_bin"}:
            return f"loaded only {sorted(g)}"
    if set(r) != set(g):
        return (f"items differ: missing {sorted(set(r) - set(g))[:3]}, "
                f"extra {sorted(set(g) - set(r))[:3]}")
    for k in r:
        why = _differs(r[k], g[k], ATOL_OF.get(check, ATOL))
        if why:
            return f"{k}: {why}"
    return None


def compare(name, tdir, jdir):
    """{check: None or reason} for one model."""
    ref = _load(os.path.join(tdir, name + ".npz"))
    got = _load(os.path.join(jdir, name + ".npz"))
    return {c: compare_check(ref, got, c) for c in checks_of(name)}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    summary_only = "--summary" in argv
    names = [a for a in argv if a != "--summary"] or list(HF_NAMES + TIMM_NAMES)
    names = [n for n in names if installed(library_of(n))]
    if not names:
        print("clients: transformers/timm not installed (pip install -e '.[test]'); nothing run")
        return 0
    with tempfile.TemporaryDirectory() as root:
        tdir, jdir = run(names, root)
        results = {n: compare(n, tdir, jdir) for n in names}
    full = [n for n, r in results.items() if not any(r.values())]
    if not summary_only:
        for n, r in results.items():
            ok = [c for c, why in r.items() if why is None]
            print(f"{n:22s} {len(ok)}/{len(r)} checks match torch: {' '.join(ok) or '-'}")
            for c, why in r.items():
                if why is not None:
                    print(f"{'':24s}{c}: {why}")
        gap = distributed_gap()
        if gap and any(n in HF_NAMES for n in names):
            print("note: jtorch.distributed.is_available() is True but jtorch lacks "
                  f"{', '.join(gap)}, which transformers imports then")
    print(f"clients: {len(full)}/{len(results)} models (transformers, timm) match torch "
          "on every check")
    return 0


if __name__ == "__main__":
    sys.exit(main())
