"""Random programs for the differential fuzzer: a program is a list of steps (plain tuples,
so a failing one prints as Python data and is kept as a regression test), drawn through a
``Chooser`` (``random.Random`` for campaigns, hypothesis's ``data.draw`` in the suite, which
then shrinks failures).

A step names a variable slot (``v0``, ``v1``, ...) and what to do with it: make a tensor,
apply a pointwise op / reduction / view, write in place, set items, detach, turn on
requires_grad, run backward, print. ``interpret.py`` runs a program on a library.
"""
from __future__ import annotations

import math

SHAPES = [(), (0,), (1,), (3,), (2, 3), (3, 1), (1, 3), (2, 0), (2, 3, 4), (4, 1, 3)]
DTYPES = ["float32", "float64", "int64", "bool"]
FLOAT_VALUES = [0.0, -0.0, 1.0, -1.5, 2.25, 0.5, -3.0, 7.0, math.inf, -math.inf, math.nan,
                1e30, -1e-30, 1e-5, 123.456]
INT_VALUES = [0, 1, -1, 2, -3, 5, 7]

UNARY = ["neg", "abs", "exp", "sin", "cos", "tanh", "sigmoid", "relu", "sqrt", "log",
         "floor", "ceil", "round", "trunc", "sign", "square", "reciprocal", "log1p", "expm1",
         "rsqrt", "atan", "erf", "logical_not", "isnan", "isinf", "clone", "float", "double",
         "long", "bool", "cumsum0", "softmax_last", "exp2", "frac", "sinh", "asinh"]
BINARY = ["add", "sub", "mul", "div", "maximum", "minimum", "eq", "lt", "ge", "pow",
          "remainder", "fmod", "atan2", "logical_and", "bitwise_and", "where", "hypot",
          "floor_divide", "matmul", "add_alpha", "copysign"]
SCALARS = [2, -1, 0.5, 3.0, True, -0.0, 1e10]
REDUCE = ["sum", "mean", "amax", "amin", "prod", "max", "min", "argmax", "std", "var",
          "logsumexp", "all", "any", "norm", "cumprod"]
VIEWS = ["t", "transpose", "reshape_flat", "view_flat", "unsqueeze0", "squeeze", "slice0",
         "select0", "expand", "flatten", "permute_rev", "narrow", "diagonal", "mT",
         "unflatten", "getitem_neg", "getitem_none", "getitem_mask", "contiguous",
         "split0", "chunk_last"]
INPLACE = ["add_", "mul_", "sub_", "div_", "zero_", "fill_", "clamp_", "copy_", "neg_",
           "exp_", "relu_", "sqrt_", "masked_fill_", "index_fill_", "pow_"]
SETITEM = ["int", "slice", "neg", "ellipsis", "mask", "tensor_value", "list"]


class Chooser:
    """The source of a program's choices (``random.Random`` or hypothesis data)."""

    def __init__(self, rng=None, data=None):
        self.rng, self.data = rng, data

    def choice(self, seq):
        if self.data is not None:
            from hypothesis import strategies as st
            return self.data.draw(st.sampled_from(list(seq)))
        return self.rng.choice(list(seq))

    def randint(self, lo, hi):
        if self.data is not None:
            from hypothesis import strategies as st
            return self.data.draw(st.integers(lo, hi))
        return self.rng.randint(lo, hi)

    def coin(self, p=0.5):
        return self.randint(0, 999) < p * 1000


def _values(c, dtype, n):
    if dtype == "bool":
        return [bool(c.randint(0, 1)) for _ in range(n)]
    if dtype == "int64":
        return [c.choice(INT_VALUES) for _ in range(n)]
    return [c.choice(FLOAT_VALUES) for _ in range(n)]


def _new(c):
    shape = c.choice(SHAPES)
    dtype = c.choice(DTYPES)
    n = math.prod(shape)
    grad = dtype.startswith("float") and c.coin(0.5)
    return ("new", shape, dtype, tuple(_values(c, dtype, n)), grad)


def step(c, nvars):
    """One random step over ``nvars`` live variables (a new tensor when there are none)."""
    if nvars == 0 or c.coin(0.12):
        return _new(c)
    v = c.randint(0, nvars - 1)
    kind = c.choice(["unary"] * 4 + ["binary"] * 4 + ["scalar"] * 2 + ["reduce"] * 2 +
                    ["view"] * 3 + ["inplace"] * 3 + ["setitem"] * 2 +
                    ["detach", "requires_grad", "backward", "backward", "print", "grad_of",
                     "nograd"])
    if kind == "unary":
        return ("unary", c.choice(UNARY), v)
    if kind == "binary":
        return ("binary", c.choice(BINARY), v, c.randint(0, nvars - 1))
    if kind == "scalar":
        return ("scalar", c.choice(["add", "mul", "sub", "div", "pow", "rsub", "gt",
                                    "remainder"]), v, c.choice(SCALARS), c.coin())
    if kind == "reduce":
        return ("reduce", c.choice(REDUCE), v, c.choice([None, 0, -1, 1]), c.coin())
    if kind == "view":
        return ("view", c.choice(VIEWS), v)
    if kind == "inplace":
        return ("inplace", c.choice(INPLACE), v, c.randint(0, nvars - 1))
    if kind == "setitem":
        return ("setitem", c.choice(SETITEM), v, c.choice(SCALARS[:4]), c.randint(0, nvars - 1))
    if kind == "nograd":
        return ("nograd", c.choice(UNARY + ["add_self"]), v)
    if kind == "backward":
        return ("backward", v, c.coin())
    return (kind, v)


def program(c, min_steps=5, max_steps=30):
    """A random program: 1-3 tensors, then 5-30 steps."""
    steps = [_new(c) for _ in range(c.randint(1, 3))]
    nvars = len(steps)
    for _ in range(c.randint(min_steps, max_steps)):
        s = step(c, nvars)
        steps.append(s)
        if makes_var(s):
            nvars += 1
    return steps


def makes_var(s):
    """Whether a step binds a new variable when it succeeds."""
    return s[0] in ("new", "unary", "binary", "scalar", "reduce", "view", "detach", "nograd")


def signature(s):
    """A failing step's class: its kind and op (``unary:neg``), the key of the known table."""
    return f"{s[0]}:{s[1]}" if len(s) > 1 and isinstance(s[1], str) else s[0]
