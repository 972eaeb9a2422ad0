"""Record torch's CPU autocast output dtype for every case of ``autocast_cases`` (run with
torch installed):  python -m tests.golden.make_autocast > tests/golden/autocast_cpu.json
"""
import json

import torch

from tests.golden.autocast_cases import CASES, run


def record():
    torch.manual_seed(0)
    return {name: {f"{dt}/{inp}": run(torch, name, dt, dt if inp == "low" else "float32")
                   for dt in ("bfloat16", "float16") for inp in ("f32", "low")}
            for name in CASES}


if __name__ == "__main__":
    print(json.dumps(record(), indent=1, sort_keys=True))
