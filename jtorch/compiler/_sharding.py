"""A compiled step as one SPMD program over a JAX ``Mesh`` (a jtorch extension).

``jtorch.compile(step, options={"mesh": 4, "batch_dim": 0})`` compiles ``step`` as usual
(``_wrapper``), and before every call places the arrays it will read:

* each tensor *argument* split along ``batch_dim`` over a 1-D mesh of the devices
  (``NamedSharding(mesh, P("batch"))``); an argument whose batch size the device count does
  not divide, one without that dimension, or one that requires grad stays as it is (one
  whole copy: XLA places it);
* every tensor the step reaches from its state (parameters, buffers, ``.grad``, optimizer
  state) replicated over the mesh (``P()``).

jax.jit follows its inputs' shardings, so XLA's SPMD partitioner compiles the traced program
(forward, backward, the gradient all-reduce it inserts, the optimizer update) as one program
run by every device on its slice of the batch. The program's state outputs are replicated
too, and the storages keep them: between calls nothing moves. jtorch's own arrays are not
committed to a device, so eager ops on that state (printing, ``.item()``, an uncompiled eval
forward) work unchanged; they run on every device of the mesh (``unshard`` brings the state
back to one device).

``mesh`` is a ``jax.sharding.Mesh`` (its axes all split the batch), a sequence of JAX
devices, a device count (the first ``n`` local GPUs, or CPU devices where there is no GPU) or
``True`` (all of them). A GPU tensor's array is committed to its GPU: on several GPUs, an
eager op that mixes the replicated state with such a tensor needs ``unshard`` first.
torch's inductor rejects unknown ``options`` keys ("Unexpected optimization option"), so a
script meant to run under torch as well passes this key only on jtorch.
"""
from __future__ import annotations

import importlib

import jax
import numpy as np
from jax.extend.core import jaxpr_as_fun
from jax.sharding import Mesh, NamedSharding, PartitionSpec

import jtorch
from .. import _trace
from .._storage_tensor import HostStorage
from ..nn.modules.module import Module
from ..nn.parallel.data_parallel import DataParallel
from . import _program, _state, _wrapper
from ._module import FunctionCompiled, OptimizedModule

Tensor = jtorch.Tensor
AXIS = "batch"


def wanted(options):
    """Whether ``torch.compile``'s ``options`` ask for an SPMD program."""
    return isinstance(options, dict) and options.get("mesh") not in (None, False)


def make_mesh(spec):
    """The ``Mesh`` an ``options["mesh"]`` value names (module doc)."""
    if isinstance(spec, Mesh):
        return spec
    gpus = importlib.import_module("jtorch.device")._gpus()   # (the module, not the class)
    devices = list(gpus or jax.devices("cpu"))      # where jtorch's tensors live
    if spec is True:
        chosen = devices
    elif isinstance(spec, int):
        if not 1 <= spec <= len(devices):
            raise ValueError(f"torch.compile: options['mesh'] asks for {spec} devices but "
                             f"{len(devices)} are available")
        chosen = devices[:spec]
    else:
        chosen = list(spec)
        if not chosen or not all(isinstance(d, jax.Device) for d in chosen):
            raise TypeError("torch.compile: options['mesh'] must be a jax.sharding.Mesh, a "
                            "sequence of JAX devices, a device count or True")
    return Mesh(np.array(chosen), (AXIS,))


class Placement:
    """Where a sharded step's arrays live: the mesh, and the batch dimension."""

    def __init__(self, mesh, batch_dim=0):
        self.mesh = mesh
        self.batch_dim = int(batch_dim)
        self.size = mesh.devices.size
        self.replicated = NamedSharding(mesh, PartitionSpec())
        self._splits = {}

    def split(self, ndim):
        """The sharding of an ``ndim`` argument cut along the batch dimension (made once
        per ``ndim``: comparing a new sharding with an array's costs more than a lookup)."""
        s = self._splits.get(ndim)
        if s is None:
            spec = [None] * ndim
            spec[self.batch_dim % ndim] = tuple(self.mesh.axis_names)
            s = self._splits[ndim] = NamedSharding(self.mesh, PartitionSpec(*spec))
        return s

    def replicate_state(self, roots):
        """Every storage the roots reach holds a replicated array. Storages that share one
        array (a group's step counters) still share one afterwards: the guard key reads
        that sharing."""
        placed = {}
        for v in _state.survey(roots)[1]:
            if not isinstance(v, Tensor):
                continue
            st = v._storage
            if type(st) is HostStorage:
                continue        # (its array is the user's NumPy buffer: XLA copies it in)
            a = st.array
            if getattr(a, "sharding", None) == self.replicated:
                continue
            new = placed.get(id(a))
            if new is None:
                new = placed[id(a)] = jax.device_put(a, self.replicated)
            st.array = new      # the same values, so no version bump

    def shard_arg(self, x):
        """An argument tensor as a tensor of its values split over the mesh (or ``x``)."""
        if not isinstance(x, Tensor) or not -x.dim() <= self.batch_dim < x.dim() or \
                (x._requires_grad and jtorch.is_grad_enabled()):
            return x            # (placement never changes a result, only where it runs)
        d = self.batch_dim % x.dim()
        if x.shape[d] % self.size:
            return x            # an uneven batch: one whole copy (still correct)
        a = x._value()
        sharding = self.split(x.dim())
        if getattr(a, "sharding", None) != sharding:
            a = jax.device_put(a, sharding)
        return Tensor._make(a, x.dtype, x.device)


def _is_tensor(x):
    return isinstance(x, Tensor)


class ShardedMixin:
    """Placed before a ``Compiled`` class: its calls first place state and arguments."""

    placement: Placement

    def __call__(self, *args, **kwargs):
        if _wrapper.DISABLED[0] or _trace.ACTIVE:
            return super().__call__(*args, **kwargs)
        given = jax.tree_util.tree_leaves((args, kwargs), is_leaf=_is_tensor)
        self.placement.replicate_state(self.roots(args))
        args, kwargs = jax.tree_util.tree_map(self.placement.shard_arg, (args, kwargs),
                                              is_leaf=_is_tensor)
        placed = jax.tree_util.tree_leaves((args, kwargs), is_leaf=_is_tensor)
        versions = [(g, p, p._storage.version) for g, p in zip(given, placed)
                    if isinstance(p, Tensor) and p is not g]
        out = super().__call__(*args, **kwargs)
        for g, p, v in versions:
            if p._storage.version != v:     # the step wrote into its argument
                with jtorch.no_grad():
                    g.copy_(p)
        return out


_CLASSES = {}


def sharded(compiled, options):
    """``compiled`` (a ``Compiled``) turned into its sharded twin, placing by ``options``."""
    cls = type(compiled)
    twin = _CLASSES.get(cls)
    if twin is None:
        twin = _CLASSES[cls] = type("Sharded" + cls.__name__, (ShardedMixin, cls), {})
    compiled.__class__ = twin
    compiled.placement = Placement(make_mesh(options["mesh"]), options.get("batch_dim", 0))
    return compiled


def unwrap_data_parallel(model):
    """``nn.DataParallel(m)`` compiled with a mesh is ``m`` compiled with it: the SPMD
    program splits the batch itself (the wrapper's own split would run inside the trace)."""
    return model.module if isinstance(model, DataParallel) else model


def unshard(*objs):
    """Bring the state of modules / optimizers / tensors back onto one device (the first of
    each array's devices): for eager work that mixes it with arrays committed elsewhere."""
    done = {}           # id(array) -> its one-device copy: shared arrays stay shared
    for v in _state.survey(list(objs))[1]:
        if isinstance(v, Tensor) and type(v._storage) is not HostStorage:
            a = v._storage.array
            if len(a.devices()) > 1:
                one = done.get(id(a))
                if one is None:
                    one = done[id(a)] = a.addressable_shards[0].data
                v._storage.array = one


def program_text(compiled, *args):
    """The optimised HLO text of the program ``compiled(*args)`` runs (after a call with
    these argument shapes): shows the partitioned program and its collectives."""
    compiled = getattr(compiled, "_compiled", compiled)     # (an OptimizedModule)
    placement = compiled.placement
    roots = compiled.roots(args)
    placement.replicate_state(roots)
    args = [placement.shard_arg(a) for a in args]
    call = compiled.prepare(args, {})
    plan = compiled.cache.get(call.key)
    if not plan:
        raise RuntimeError("program_text: no compiled program for these arguments yet")
    hyper = _wrapper._hyper(_state.hyper_values(roots), plan.hyper_vals)
    flat = jax.tree_util.tree_leaves(([st.array for st in call.storages], _program.ZERO_KEY,
                                      hyper))
    return jax.jit(jaxpr_as_fun(plan.jaxpr)).lower(*flat).compile().as_text()


def compile_sharded(model, fullgraph, options):
    """``torch.compile(model, options={"mesh": ...})``: the usual compiled wrapper, its
    program placed over the mesh."""
    if isinstance(model, Module):
        wrapper = OptimizedModule(model, fullgraph)
        wrapper._compiled.fn = unwrap_data_parallel(model)
        sharded(wrapper._compiled, options)
        return wrapper
    return sharded(FunctionCompiled(model, fullgraph), options)
