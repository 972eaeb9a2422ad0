"""Run a seed example under torch or jtorch and compare the printed output.

An example is a plain ``import torch`` program. Under jtorch it runs via
``python -m jtorch run`` (torch and every torch.* module resolve to jtorch). Output compared:
stdout, plus the last ``ExceptionType: message`` line when the program fails (appended as
``!! ExceptionType: message``). Text must be equal exactly; numbers may differ by one unit in
their last printed digit (or 1e-5 relative), to absorb float rounding at a print boundary.
"""
from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent
SEEDS = ROOT / "seeds"
GOLDEN = ROOT / "golden"
TIMEOUT = 120

_ADDR = re.compile(r" at 0x[0-9a-fA-F]+")
_NUM = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|[-+]?\b(?:nan|inf)\b")


def examples():
    """Names like '003/02_creating_tensors', sorted."""
    return sorted(f"{p.parent.name}/{p.stem}" for p in SEEDS.glob("*/*.py"))


def path_of(name):
    return SEEDS / f"{name}.py"


def golden_path(name):
    return GOLDEN / f"{name}.out"


def doc_path(name):
    return SEEDS / f"{name}.doc.txt"


def run(name, engine):
    """Run an example under 'torch' or 'jtorch'; return its normalised output."""
    script = str(path_of(name))
    cmd = [sys.executable, script] if engine == "torch" else \
        [sys.executable, "-m", "jtorch", "run", script]
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONWARNINGS="ignore")
    env["PYTHONPATH"] = str(ROOT.parent) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as cwd:
        try:
            proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                                  timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            return f"!! TimeoutExpired: example ran over {TIMEOUT} s\n"
    out = proc.stdout
    if proc.returncode != 0:
        out += "!! " + _last_exception(proc.stderr) + "\n"
    return normalise(out)


def _last_exception(stderr):
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    for ln in reversed(lines):
        if re.match(r"^[A-Za-z_][\w.]*(Error|Exception|Warning|Exit|Interrupt)\b", ln):
            return ln.split("\n")[0]
    return lines[-1] if lines else "process failed"


def normalise(text):
    return _ADDR.sub(" at 0x?", text)


@dataclasses.dataclass
class Comparison:
    ok: bool
    reason: str = ""


def _tokens(line):
    parts, pos = [], 0
    for m in _NUM.finditer(line):
        parts.append(("text", line[pos:m.start()]))
        parts.append(("num", m.group()))
        pos = m.end()
    parts.append(("text", line[pos:]))
    return parts


def _close(a, b):
    if a == b:
        return True
    try:
        fa, fb = float(a), float(b)
    except ValueError:
        return False
    if fa != fa or fb != fb:
        return False
    # one unit in the last printed digit of the longer representation
    decimals = max(len(x.split("e")[0].split("E")[0].partition(".")[2]) for x in (a, b))
    exp = 0
    for x in (a, b):
        m = re.search(r"[eE]([-+]?\d+)", x)
        if m:
            exp = int(m.group(1))
    ulp = 10.0 ** (exp - decimals)
    return abs(fa - fb) <= ulp * 1.0001 or abs(fa - fb) <= 1e-5 * max(abs(fa), abs(fb))


def compare(got, want):
    g, w = got.splitlines(), want.splitlines()
    for i in range(max(len(g), len(w))):
        gl = g[i] if i < len(g) else "<missing line>"
        wl = w[i] if i < len(w) else "<missing line>"
        if gl == wl:
            continue
        gt, wt = _tokens(gl), _tokens(wl)
        same = len(gt) == len(wt) and all(
            ka == kb and (va == vb if ka == "text" else _close(va, vb))
            for (ka, va), (kb, vb) in zip(gt, wt))
        if not same:
            return Comparison(False, f"line {i + 1}: got {gl!r}, torch printed {wl!r}")
    return Comparison(True)


def _squash(line):
    return " ".join(normalise(line).split())


def compare_doc(got, name):
    """The lines the seed document itself prints must appear in order in the output
    (whitespace-insensitive: the documents' text lost its column alignment)."""
    p = doc_path(name)
    if not p.exists():
        return Comparison(True)
    want = [_squash(ln) for ln in p.read_text().splitlines() if ln.strip()]
    lines = [_squash(ln) for ln in got.splitlines()]
    pos = 0
    for wl in want:
        while pos < len(lines) and not compare(lines[pos], wl).ok:
            pos += 1
        if pos == len(lines):
            return Comparison(False, f"document line not printed in order: {wl!r}")
        pos += 1
    return Comparison(True)
