"""Record torch's result_type for every dtype pair x operand kind (run with torch installed):
    python -m tests.golden.make_promotion > tests/golden/promotion.json
"""
import json

import torch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32",
          "float64", "complex64", "complex128"]
SCALARS = {"py_bool": True, "py_int": 3, "py_float": 2.5, "py_complex": 1 + 2j}


def operand(kind, name):
    if kind == "tensor":
        return torch.ones(2, dtype=getattr(torch, name))
    if kind == "zerodim":
        return torch.ones((), dtype=getattr(torch, name))
    return SCALARS[kind]


def record():
    out = {}
    for a in DTYPES:
        for ka in ("tensor", "zerodim"):
            for b in DTYPES:
                for kb in ("tensor", "zerodim"):
                    key = f"{ka}:{a}|{kb}:{b}"
                    out[key] = str(torch.result_type(operand(ka, a), operand(kb, b)))
            for kb in SCALARS:
                key = f"{ka}:{a}|{kb}"
                out[key] = str(torch.result_type(operand(ka, a), SCALARS[kb]))
    return out


if __name__ == "__main__":
    print(json.dumps(record(), indent=0, sort_keys=True))
