"""Bounded memory over a long eager training loop whose shapes vary (issue 27, item 3).

A small MLP trains with a different batch size every step (among 50); the cyclic garbage
collector is off, so every graph must be freed by reference counting alone. Checked: the
process's resident memory stops growing once every shape has been seen, every registered
cache (``jtorch._caches``) stays within its bound, no autograd node outlives its step, and
the collector finds no garbage at the end.

The suite runs 3,000 steps; ``python -m tests.test_soak --steps 100000`` runs the long
version with the same checks and prints peak RSS and the caches' sizes.
"""
import argparse
import gc
import sys

import numpy as np

import jtorch
from jtorch import _caches, nn
from jtorch.autograd.graph import Node

BATCHES = list(range(3, 53))        # 50 batch sizes
RSS_GROWTH_MIB = 64                 # allowed growth after warm-up (allocator noise)


def rss_mib():
    """Current resident set size (Linux), MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _limit(cache, warm):
    """A cache's bound; a plain dict (keyed by a few static flags, finite by construction)
    must keep the size it had after the warm-up."""
    if isinstance(cache, _caches.HotCompiler):
        return cache.programs.limit
    return getattr(cache, "limit", warm)


def _over_bound(warm):
    """Caches past their bound: {name: (entries, bound)}."""
    out = {}
    sizes = _caches.sizes()
    for name, cache in _caches._registry.items():
        bound = _limit(cache, warm.get(name, 0))
        if sizes[name] > bound:
            out[name] = (sizes[name], bound)
    return out


def _live_nodes():
    return sum(isinstance(o, Node) for o in gc.get_objects())


class Soak:
    def __init__(self, seed=0):
        jtorch.manual_seed(seed)
        self.rng = np.random.RandomState(seed)
        self.model = nn.Sequential(nn.Linear(8, 32), nn.ReLU(), nn.Linear(32, 1))
        self.opt = jtorch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.loss_fn = nn.MSELoss()
        self.data = {b: (jtorch.tensor(self.rng.randn(b, 8).astype(np.float32)),
                         jtorch.tensor(self.rng.randn(b, 1).astype(np.float32)))
                     for b in BATCHES}

    def step(self, b):
        x, y = self.data[b]
        self.opt.zero_grad()
        loss = self.loss_fn(self.model(x), y)
        loss.backward()
        self.opt.step()
        return loss

    def run(self, steps, checkpoints=10):
        """Warm up (every batch size 4 times: the hot compilers compile by the third), then
        ``steps`` random steps with the collector off. Returns the statistics."""
        for _ in range(4):
            for b in BATCHES:
                self.step(b)
        last = self.step(BATCHES[0]).item()
        gc.collect()
        rss0 = rss_mib()
        warm = _caches.sizes()
        stats = {"rss_start": rss0, "rss_peak": rss0, "sizes_peak": {}, "over": {}}
        order = self.rng.choice(BATCHES, size=steps)
        was = gc.isenabled()
        gc.disable()
        try:
            for i, b in enumerate(order):
                loss = self.step(int(b))
                if (i + 1) % max(steps // checkpoints, 1) == 0:
                    last = loss.item()
                    stats["rss_peak"] = max(stats["rss_peak"], rss_mib())
                    for k, v in _caches.sizes().items():
                        stats["sizes_peak"][k] = max(stats["sizes_peak"].get(k, 0), v)
                    stats["over"].update(_over_bound(warm))
            del loss
            stats["live_nodes"] = _live_nodes()
            stats["garbage"] = gc.collect()
        finally:
            if was:
                gc.enable()
        stats["rss_end"] = rss_mib()
        stats["last_loss"] = last
        return stats


def check(stats):
    assert not stats["over"], f"caches past their bound: {stats['over']}"
    assert stats["rss_peak"] - stats["rss_start"] < RSS_GROWTH_MIB, stats
    # the model's parameters' AccumulateGrad nodes may stay; no step's graph does
    assert stats["live_nodes"] <= 8, stats["live_nodes"]
    assert stats["garbage"] == 0, f"{stats['garbage']} objects needed the cyclic collector"
    assert np.isfinite(stats["last_loss"])


def test_soak_3000_steps():
    check(Soak().run(3000))


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m tests.test_soak")
    p.add_argument("--steps", type=int, default=100_000)
    a = p.parse_args(argv)
    stats = Soak().run(a.steps, checkpoints=100)
    print(f"{a.steps} steps: RSS {stats['rss_start']:.0f} MiB after warm-up, peak "
          f"{stats['rss_peak']:.0f} MiB, end {stats['rss_end']:.0f} MiB")
    print(f"peak cache sizes: {stats['sizes_peak']}")
    print(f"live autograd nodes after the loop: {stats['live_nodes']}, "
          f"cyclic garbage: {stats['garbage']}")
    check(stats)
    print("bounded: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
