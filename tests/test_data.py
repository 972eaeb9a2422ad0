"""torch.utils.data compared with torch: datasets, samplers (same random draws after the same
seed), DataLoader batches (order, contents, dtypes, structure), default_collate on nested
structures, random_split, workers run in-process, and torch's argument errors."""
import collections
import warnings

import numpy as np
import pytest

import jtorch
import jtorch.utils.data as jdata
from tests.helpers import assert_same, assert_same_error

torch = pytest.importorskip("torch")
import torch.utils.data as tdata  # noqa: E402

Point = collections.namedtuple("Point", "x y")


def _lib(m):
    return tdata if m is torch else jdata


def assert_same_tree(j, t):
    """Same nested structure (types included) with equal tensors and values."""
    if isinstance(t, torch.Tensor):
        assert isinstance(j, jtorch.Tensor), type(j)
        assert_same(j, t, rtol=0, atol=0)
        assert j.grad_fn is None if t.grad_fn is None else j.grad_fn.name() == t.grad_fn.name()
        return
    assert type(j).__name__ == type(t).__name__, (type(j), type(t))
    if isinstance(t, dict):
        assert list(j) == list(t)
        for k in t:
            assert_same_tree(j[k], t[k])
    elif isinstance(t, (list, tuple)):
        assert len(j) == len(t)
        for a, b in zip(j, t):
            assert_same_tree(a, b)
    else:
        assert j == t


def _batches(loader):
    return [b for b in loader]


# ------------------------------------------------------------------ datasets
def test_tensor_dataset_subset_concat_stack():
    x = np.arange(24, dtype=np.float32).reshape(6, 4)
    y = np.arange(6)
    out = []
    for m in (torch, jtorch):
        D = _lib(m)
        ds = D.TensorDataset(m.tensor(x), m.tensor(y))
        sub = D.Subset(ds, [4, 0, 2])
        cat = D.ConcatDataset([ds, sub]) + sub
        st = D.StackDataset(sub, D.Subset(ds, [5, 4, 3]))
        std = D.StackDataset(a=sub, b=D.Subset(ds, [1, 1, 5]))
        out.append([len(ds), ds[3], ds[-1], len(sub), sub[1], sub.__getitems__([2, 0]),
                    len(cat), cat.cumulative_sizes, cat[7], cat[-1], cat[10], len(st), st[2],
                    std[2], std.__getitems__([0, 2])])
    assert_same_tree(out[1], out[0])


@pytest.mark.parametrize("case", ["tensor_size", "concat_empty", "concat_iterable",
                                  "concat_index", "stack_size", "stack_both", "subset_override"])
def test_dataset_errors_equal_torch(case):
    def make(m):
        D = _lib(m)

        class It(D.IterableDataset):
            def __iter__(self):
                return iter(range(3))
        if case == "tensor_size":
            D.TensorDataset(m.zeros(3), m.zeros(4))
        elif case == "concat_empty":
            D.ConcatDataset([])
        elif case == "concat_iterable":
            D.ConcatDataset([It()])
        elif case == "concat_index":
            D.ConcatDataset([[1, 2], [3]])[-4]
        elif case == "stack_size":
            D.StackDataset([1, 2], [3])
        elif case == "stack_both":
            D.StackDataset([1], a=[2])
        elif case == "subset_override":
            class S(D.Subset):
                def __getitem__(self, i):
                    return 0
            S([1, 2], [0])
    assert_same_error(make, (torch, jtorch))


def test_iterable_and_chain_dataset():
    out = []
    for m in (torch, jtorch):
        D = _lib(m)

        class Count(D.IterableDataset):
            def __init__(self, n):
                self.n = n

            def __iter__(self):
                return iter(range(self.n))

            def __len__(self):
                return self.n
        chain = Count(3) + Count(2)
        out.append((type(chain).__name__, list(chain), len(chain),
                    [b.tolist() for b in D.DataLoader(chain, batch_size=2)],
                    [b.tolist() for b in D.DataLoader(Count(7), batch_size=3, drop_last=True)],
                    len(D.DataLoader(Count(7), batch_size=3))))
    assert out[0] == out[1]


# ------------------------------------------------------------------ DataLoader without randomness
LOADER_CASES = [
    dict(batch_size=4),
    dict(batch_size=4, drop_last=True),
    dict(batch_size=1),
    dict(batch_size=None),
    dict(batch_size=10),
    dict(batch_sampler=[[3, 1], [0], [9, 8, 7]]),
    dict(sampler=[5, 3, 1], batch_size=2),
    dict(batch_size=3, collate_fn=lambda b: [len(b), b[0]]),
]


@pytest.mark.parametrize("kw", LOADER_CASES, ids=[str(i) for i in range(len(LOADER_CASES))])
def test_loader_batches_equal_torch(kw):
    x = np.arange(30, dtype=np.float32).reshape(10, 3)
    y = np.arange(10) % 3
    out = []
    for m in (torch, jtorch):
        D = _lib(m)
        ds = D.TensorDataset(m.tensor(x), m.tensor(y))
        loader = D.DataLoader(ds, **kw)
        out.append((_batches(loader), len(loader)))
    assert_same_tree(out[1][0], out[0][0])
    assert out[1][1] == out[0][1]


def test_loader_over_custom_dataset_of_views():
    """Seed 004's pattern: __getitem__ returns views x[i], y[i] of big tensors."""
    rng = np.random.default_rng(0)
    x = rng.random((50, 1)).astype(np.float32)
    y = rng.random((50, 1)).astype(np.float32)
    z = rng.random((3, 50)).astype(np.float32)
    out = []
    for m in (torch, jtorch):
        D = _lib(m)

        class Sine(D.Dataset):
            def __init__(self, x, y):
                self.x, self.y = x, y

            def __len__(self):
                return self.y.shape[0]

            def __getitem__(self, i):
                return self.x[i], self.y[i]
        xt = m.tensor(x)
        ds = Sine(xt, m.tensor(y))
        cols = Sine(xt.t().contiguous().t(), m.arange(50.0))  # 0-dim samples
        nc = Sine(m.tensor(z).t(), m.arange(50))
        out.append([_batches(D.DataLoader(d, batch_size=16)) for d in (ds, cols, nc)])
    assert_same_tree(out[1], out[0])


def test_collate_samples_requiring_grad_records_stack():
    out = []
    for m in (torch, jtorch):
        w = m.ones(3, requires_grad=True)
        batch = m.utils.data.default_collate([w * 2, w * 3]) if m is torch else \
            jdata.default_collate([w * 2, w * 3])
        out.append(batch)
    assert_same_tree(out[1], out[0])
    out[1].sum().backward()


def test_collate_mixed_samples_fall_back_to_stack():
    out = []
    for m in (torch, jtorch):
        D = _lib(m)
        a = m.arange(6.0).view(2, 3)
        samples = [a[0], m.ones(3), a[:, 1][:1].expand(3)]
        out.append(D.default_collate(samples))
        with pytest.raises(RuntimeError) as info:
            D.default_collate([m.ones(2), m.ones(3)])
        out.append(type(info.value).__name__)
    assert_same_tree(out[2], out[0])
    assert out[1] == out[3]


def _view_samples(m, idx):
    """Samples of many shapes: views of several storages and layouts, plain tensors, a
    column requiring grad, Python numbers, inside tuples, lists, dicts and named tuples."""
    x = m.arange(40.0).view(10, 4)
    y = m.arange(10.0).view(-1, 1)
    z = m.arange(30).view(3, 10).t()           # int64, strided rows
    w = m.ones(10, 2, requires_grad=True) * 2  # non-leaf: StackBackward0
    return [{"pair": (x[i], y[i]), "list": [z[i], i, x[-1 - i]], "pt": Point(y[i], z[i]),
             "mixed": (w[i], m.full((2,), float(i)), x[i][1:3]),
             "dict": {"a": z[i], "b": 0.5 * i, "c": x[i]}} for i in idx]


@pytest.mark.parametrize("idx", [[3, 0, 7, 7], [9], list(range(10))], ids=["4", "1", "10"])
def test_collate_fused_columns_equal_torch(idx):
    out = []
    for m in (torch, jtorch):
        samples = _view_samples(m, idx)
        out.append(_lib(m).default_collate(samples))
        out.append(_lib(m).default_collate([s["pair"] for s in samples]))
    assert_same_tree(out[2], out[0])
    assert_same_tree(out[3], out[1])


def test_collate_column_errors_in_torch_order():
    """Columns are collated in order: the first bad column raises, as in torch."""
    def cases(m):
        a, b = m.zeros(3, 2), m.zeros(3, 3)
        return [
            [{"x": a[0], "y": 1}, {"x": b[0]}],              # a stack error before a KeyError
            [{"x": a[0], "y": 1}, {"x": a[1]}],              # KeyError after a good column
            [(a[0], a[1], "s"), (a[1], b[0], "t")],          # the second column's stack error
            [(a[0], object()), (a[1], object())],            # the second column's TypeError
        ]
    errs = []
    for m in (torch, jtorch):
        for batch in cases(m):
            with pytest.raises(Exception) as info:
                _lib(m).default_collate(batch)
            errs.append(type(info.value).__name__)
    assert errs[:4] == errs[4:]


# ------------------------------------------------------------------ default_collate / convert
def _nested_samples(m):
    return [
        {"img": m.full((2, 2), float(i)), "label": i, "w": 0.5 * i, "name": f"s{i}",
         "raw": b"x", "np": np.full(3, i, dtype=np.int16), "npf": np.float32(i) / 2,
         "flag": i % 2 == 0, "pt": Point(m.tensor([i, -i]), i),
         "pair": (m.tensor(float(i)), [i, i + 1])}
        for i in range(3)]


def test_default_collate_nested_equal_torch():
    out = [_lib(m).default_collate(_nested_samples(m)) for m in (torch, jtorch)]
    assert_same_tree(out[1], out[0])


@pytest.mark.parametrize("batch", [
    [1, 2, 3], [1.5, 2.5], [True, False], ["a", "b"], [np.float64(1), np.float64(2)],
    [np.array([1, 2]), np.array([3, 4])], [np.array(1.5), np.array(2.5)],
    [(1, "a"), (2, "b")], [[1, 2], [3, 4]], [Point(1, 2.0), Point(3, 4.0)],
    [collections.OrderedDict(a=1, b=2), collections.OrderedDict(a=3, b=4)],
    [np.uint8(3), np.uint8(4)], [np.bool_(True), np.bool_(False)],
], ids=lambda b: type(b[0]).__name__)
def test_default_collate_types_equal_torch(batch):
    out = [_lib(m).default_collate(batch) for m in (torch, jtorch)]
    assert_same_tree(out[1], out[0])


@pytest.mark.parametrize("batch", [[object(), object()], [[1, 2], [3]],
                                   [np.array(["a"]), np.array(["b"])]],
                         ids=["object", "ragged", "str_array"])
def test_default_collate_errors_equal_torch(batch):
    errs = []
    for m in (torch, jtorch):
        with pytest.raises(Exception) as info:
            _lib(m).default_collate(batch)
        errs.append((type(info.value), str(info.value).replace(
            "<class 'torch.Tensor'>", "").replace("<class 'jtorch._tensor.Tensor'>", "")))
    assert errs[0][0] == errs[1][0]
    if "object" not in errs[0][1]:
        assert errs[0] == errs[1]


def test_default_convert_equal_torch():
    data = {"a": np.arange(3), "b": (np.float32(1.5), "s"), "c": [np.ones(2), 3],
            "d": Point(np.zeros(1), 2), "e": np.array(["x"])}
    out = [_lib(m).default_convert(data) for m in (torch, jtorch)]
    assert_same_tree({k: v for k, v in out[1].items() if k != "e"},
                     {k: v for k, v in out[0].items() if k != "e"})
    assert out[1]["e"] is data["e"] and out[0]["e"] is data["e"]
    for m in (torch, jtorch):
        D = _lib(m)
        ds = [np.arange(2) + i for i in range(3)]
        assert_same_tree(_batches(jdata.DataLoader(ds, batch_size=None)),
                         _batches(tdata.DataLoader(ds, batch_size=None)))


# ------------------------------------------------------------------ randomness (torch's draws)
def _shuffled_epochs(m, **kw):
    D = _lib(m)
    if m is torch:
        # torch would fork worker processes here (unsafe once JAX has started threads); its
        # map-style batches and random draws do not depend on num_workers
        kw = {k: v for k, v in kw.items() if k != "num_workers"}
    m.manual_seed(0)
    ds = D.TensorDataset(m.arange(23), m.arange(23) * 10)
    loader = D.DataLoader(ds, **kw)
    epochs = [[b[0].tolist() for b in loader] for _ in range(3)]
    return epochs, m.rand(2).tolist()  # the global generator advanced as torch's


@pytest.mark.parametrize("kw", [dict(batch_size=4, shuffle=True),
                                dict(batch_size=5, shuffle=True, drop_last=True),
                                dict(batch_size=4, shuffle=False),
                                dict(batch_size=3, shuffle=True, num_workers=2)],
                         ids=["shuffle", "drop_last", "sequential", "workers"])
def test_loader_order_equals_torch_after_manual_seed(kw):
    assert _shuffled_epochs(jtorch, **kw) == _shuffled_epochs(torch, **kw)


def test_loader_with_generator_equals_torch():
    out = []
    for m in (torch, jtorch):
        D = _lib(m)
        g = m.Generator()
        g.manual_seed(5)
        ds = D.TensorDataset(m.arange(10))
        loader = D.DataLoader(ds, batch_size=3, shuffle=True, generator=g)
        out.append([[b[0].tolist() for b in loader] for _ in range(2)])
    assert out[0] == out[1]


def test_samplers_equal_torch():
    out = []
    for m in (torch, jtorch):
        D = _lib(m)
        m.manual_seed(2)
        g = m.Generator()
        g.manual_seed(9)
        out.append([
            list(D.SequentialSampler(range(5))),
            list(D.RandomSampler(range(10), replacement=True, num_samples=70)),
            list(D.RandomSampler(range(10), num_samples=25)),
            list(D.RandomSampler(range(6), generator=g)),
            list(D.SubsetRandomSampler([3, 5, 7, 9])),
            list(D.SubsetRandomSampler([1, 2, 3], generator=g)),
            list(D.WeightedRandomSampler([0.1, 0.9, 0.4, 0.7, 3.0, 0.6], 5)),
            list(D.WeightedRandomSampler([0.9, 0.4, 0.05, 0.2, 0.3, 0.1], 5,
                                         replacement=False)),
            list(D.BatchSampler(D.SequentialSampler(range(10)), 3, False)),
            list(D.BatchSampler(range(10), 3, True)),
            len(D.BatchSampler(range(10), 3, False)), len(D.RandomSampler(range(4))),
            m.rand(1).tolist()])
    assert out[0] == out[1]


def test_random_sampler_passes_equal_torch():
    """Each pass draws its seed from the global generator; passes in flight at the same time,
    passes abandoned early and repeated permutations (num_samples a multiple of the length)
    all give torch's indices, and leave the generators where torch leaves them."""
    out = []
    for m in (torch, jtorch):
        D = _lib(m)
        m.manual_seed(4)
        s = D.RandomSampler(range(7))
        it1, it2 = iter(s), iter(s)
        inter = [next(it1), next(it2), next(it2), next(it1)]
        abandoned = [next(iter(s)) for _ in range(2)]
        rest = [list(it1), list(it2), list(s)]
        twice = list(D.RandomSampler(range(5), num_samples=10))
        part = list(D.RandomSampler(range(5), num_samples=12))
        g = m.Generator()
        g.manual_seed(8)
        with_g = [list(D.RandomSampler(range(5), num_samples=10, generator=g)),
                  m.randperm(5, generator=g).tolist()]
        out.append((inter, abandoned, rest, twice, part, with_g, m.rand(2).tolist()))
    assert out[0] == out[1]


@pytest.mark.parametrize("lengths", [[3, 4, 13], [0.5, 0.3, 0.2], [0.33, 0.33, 0.34],
                                     [0.1, 0.1, 0.1, 0.7]])
def test_random_split_equals_torch(lengths):
    out = []
    for m in (torch, jtorch):
        m.manual_seed(1)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parts = _lib(m).random_split(range(20), lengths)
        g = m.Generator()
        g.manual_seed(3)
        parts2 = _lib(m).random_split(list("abcdefg"), [3, 4], generator=g)
        out.append(([p.indices for p in parts], [list(p) for p in parts2], m.rand(1).tolist()))
    assert out[0] == out[1]


def test_random_split_errors_equal_torch():
    errs = []
    for m in (torch, jtorch):
        for lengths in ([3, 4], [0.5, 1.5, -1.0]):
            with pytest.raises(ValueError) as info:
                _lib(m).random_split(range(10), lengths)
            errs.append(str(info.value))
    assert errs[:2] == errs[2:]


# ------------------------------------------------------------------ workers (in-process)
def test_workers_map_style_equal_single_process_and_init_fn():
    calls = []

    def init_fn(worker_id):
        info = jdata.get_worker_info()
        calls.append((worker_id, info.id, info.num_workers))
    ds = jdata.TensorDataset(jtorch.arange(11))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loader = jdata.DataLoader(ds, batch_size=2, num_workers=3, worker_init_fn=init_fn)
        got = [b[0].tolist() for b in loader]
    assert got == [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9], [10]]
    assert calls == [(0, 0, 3), (1, 1, 3), (2, 2, 3)]
    assert jdata.get_worker_info() is None


def test_workers_iterable_sharded_like_torch():
    """Each worker iterates its own copy; batches interleave round-robin, skipping finished
    workers. Expected output recorded from torch 2.13 (num_workers=2, fork)."""
    class Shards(jdata.IterableDataset):
        def __iter__(self):
            info = jdata.get_worker_info()
            wid = 0 if info is None else info.id
            return iter(range(wid * 100, wid * 100 + (3 if wid == 0 else 7)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = [b.tolist() for b in jdata.DataLoader(Shards(), batch_size=2, num_workers=2)]
        dropped = [b.tolist() for b in jdata.DataLoader(Shards(), batch_size=2, num_workers=2,
                                                         drop_last=True)]
        unbatched = list(jdata.DataLoader(Shards(), batch_size=None, num_workers=3))
    assert got == [[0, 1], [100, 101], [2], [102, 103], [104, 105], [106]]
    assert dropped == [[0, 1], [100, 101], [102, 103], [104, 105]]
    assert unbatched == [0, 100, 200, 1, 101, 201, 2, 102, 202, 103, 203, 104, 204, 105, 205,
                         106, 206]


def test_persistent_workers_reiterate():
    ds = jdata.TensorDataset(jtorch.arange(5))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loader = jdata.DataLoader(ds, batch_size=2, num_workers=1, persistent_workers=True)
        first = [b[0].tolist() for b in loader]
        second = [b[0].tolist() for b in loader]
    assert first == second == [[0, 1], [2, 3], [4]]


# ------------------------------------------------------------------ argument errors
@pytest.mark.parametrize("kw", [
    dict(num_workers=-1), dict(timeout=-1), dict(prefetch_factor=2),
    dict(persistent_workers=True), dict(sampler=[0], shuffle=True),
    dict(batch_sampler=[[0]], batch_size=2), dict(batch_size=None, drop_last=True),
    dict(batch_size=0), dict(multiprocessing_context="fork"),
], ids=lambda kw: ",".join(kw))
def test_loader_argument_errors_equal_torch(kw):
    errs = []
    for m in (torch, jtorch):
        ds = _lib(m).TensorDataset(m.arange(4))
        with pytest.raises(Exception) as info:
            _lib(m).DataLoader(ds, **kw)
        errs.append((type(info.value), str(info.value)))
    assert errs[0] == errs[1]


def test_iterable_dataset_argument_errors_and_setattr():
    errs = []
    for m in (torch, jtorch):
        D = _lib(m)

        class It(D.IterableDataset):
            def __iter__(self):
                return iter(range(3))
        for kw in (dict(shuffle=True), dict(sampler=[0]), dict(batch_sampler=[[0]])):
            with pytest.raises(ValueError) as info:
                D.DataLoader(It(), **kw)
            errs.append(str(info.value).split(" option, but got")[0])
        loader = D.DataLoader(It())
        with pytest.raises(ValueError) as info:
            loader.batch_size = 3
        errs.append(str(info.value))
    assert errs[:4] == errs[4:]
