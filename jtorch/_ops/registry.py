"""The op table: one declaration per op, every public variant derived from it.

    @op(variants="function method inplace out", dunder="add", promote=Promotion.DEFAULT,
        tensors=("input", "other"), saves=())
    def add(input, other, *, alpha=1):
        return input + alpha * other          # pure jax on arrays already cast by dispatch

gives ``jtorch.add(..., out=)``, ``Tensor.add``, ``Tensor.add_``, ``__add__``/``__radd__``/
``__iadd__`` and the grad_fn name ``AddBackward0`` (override with ``grad_fn=``; ``grad_fn=None``
marks the op non-differentiable). ``tensors`` names the parameters that take tensors or Python
scalars (they become jit arguments); every other parameter is static (part of the compile
cache key). ``saves`` lists what torch saves for backward, for the in-place version check:
``"input"`` (always), ``"other:input"`` (``other`` is saved when ``input`` needs a gradient),
``"result"`` (output 0), ``"result:exponent"`` (output 0, when ``exponent`` is a tensor:
torch's Tensor-exponent overload saves its result whatever needs a gradient).
"""
from __future__ import annotations

import enum
import inspect
import types

from .. import _errors


class Promotion(enum.Enum):
    DEFAULT = "default"            # result_type of the tensor args; compute in it
    INT_TO_FLOAT = "int_to_float"  # like DEFAULT, but integral/bool results become default float
    ALWAYS_BOOL = "always_bool"    # compute in the promoted type, return bool (comparisons)
    COMPLEX_TO_FLOAT = "complex_to_float"  # like DEFAULT, complex results become real (abs)
    BOOL_TO_LONG = "bool_to_long"  # bool/integral inputs give int64 (sum, prod, cumsum)
    NONE = "none"                  # no casting: the jax function decides the dtype


OPS = {}          # name -> OpDef


class OpDef:
    __slots__ = ("name", "fn", "tensors", "variants", "dunder", "promote", "grad_fn", "saves",
                 "params", "defaults", "n_tensors", "cache", "check", "differentiable",
                 "nondiff_outputs", "dtype_cache", "n_positional", "inplace_grad_fn", "fast",
                 "fast_grad", "returns", "aten_name", "declared", "order")

    def __init__(self, name, fn, tensors, variants, dunder, promote, grad_fn, saves, check,
                 nondiff_outputs, inplace_grad_fn=None):
        self.name = name
        sig = inspect.signature(fn)
        self.params = list(sig.parameters)
        # keyword-only parameters (alpha=, rounding_mode=) must stay keywords when binding
        self.n_positional = sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
                                for p in sig.parameters.values())
        self.defaults = {k: p.default for k, p in sig.parameters.items()
                         if p.default is not inspect.Parameter.empty}
        self.tensors = tuple(tensors)
        self.n_tensors = len(self.tensors)
        missing = [t for t in self.tensors if t not in self.params[:self.n_positional]]
        if missing:
            raise TypeError(f"op {name}: tensor parameters {missing} must be positional")
        # The dispatcher takes the tensor parameters first. Where the signature has them
        # elsewhere (torch's gather(input, dim, index)), ``order`` is the declared position
        # of each parameter in that order: the variants reorder a call's positional
        # arguments (``to_internal``), and fn and check see their declared order again.
        self.declared = self.params[:self.n_positional]
        self.order = None
        if self.declared[:self.n_tensors] != list(self.tensors):
            internal = list(self.tensors) + [p for p in self.declared if p not in self.tensors]
            self.order = tuple(self.declared.index(p) for p in internal)
            self.params = internal + self.params[self.n_positional:]
            fn = _declared_order(fn, self.order, self.declared)
            check = _declared_order(check, self.order, self.declared) if check else None
        self.fn = fn
        self.variants = set(variants.split())
        self.dunder = dunder
        self.promote = promote
        self.differentiable = grad_fn is not None
        self.grad_fn = grad_fn
        self.inplace_grad_fn = inplace_grad_fn   # torch names some in-place nodes apart
        # "what:cond" -> (what, index of what or None for "result", index of cond or None)
        self.saves = tuple(self._parse_save(spec) for spec in saves)
        self.check = check
        self.nondiff_outputs = nondiff_outputs
        self.cache = {}        # compiled callables by static args, dtypes and grad mask
        self.dtype_cache = {}  # (operand dtypes and kinds, static kwargs) -> (compute, out)
        self.fast = {}         # operand signature -> FastEntry (see _dispatch)
        self.fast_grad = {}    # (signature, requires-grad mask) -> GradFastEntry
        self.returns = None    # the structseq class of a multi-output op (return_types)
        self.aten_name = None  # torch's name where the table's differs (error messages)

    def _parse_save(self, spec):
        what, _, cond = spec.partition(":")
        wi = None if what == "result" else self.tensors.index(what)
        ci = self.tensors.index(cond) if cond else None
        return what, wi, ci

    def __repr__(self):
        return f"<op {self.name}>"

    def to_internal(self, args, kwargs):
        """A call's arguments in the dispatcher's order (tensor parameters first): positional
        arguments reordered while they fill that order, the rest passed by name."""
        if self.order is None:
            return args, kwargs
        n = len(args)
        out = []
        for pos in self.order:
            if pos >= n:
                break
            out.append(args[pos])
        if len(out) < n:        # a gap (a tensor passed by name): the rest go by name
            taken = set(self.order[:len(out)])
            kwargs = dict(kwargs)
            for pos in range(n):
                if pos not in taken:
                    name = self.declared[pos]
                    if name in kwargs:
                        raise TypeError(f"{self.name}() got multiple values for argument "
                                        f"'{name}'")
                    kwargs[name] = args[pos]
        return tuple(out), kwargs

    def __call__(self, *args, **kwargs):
        """Call the op from library code (no ``out=``): ``clone(t)`` inside another op."""
        from .._dispatch import call
        return call(self, *self.to_internal(args, kwargs))


def _declared_order(f, order, names):
    """``f`` (declared signature) called with its positional arguments in internal order
    (those after a gap in the declared order go by name)."""
    def internal(*args, **kwargs):
        at = {order[i]: a for i, a in enumerate(args)}
        pos = []
        while len(pos) in at:
            pos.append(at.pop(len(pos)))
        for j, a in at.items():
            kwargs[names[j]] = a
        return f(*pos, **kwargs)
    internal.__name__ = getattr(f, "__name__", "op")
    internal.__doc__ = getattr(f, "__doc__", None)
    return internal


def _default_grad_fn_name(name):
    return "".join(p.capitalize() for p in name.strip("_").split("_")) + "Backward0"


def op(variants="function method", *, name=None, dunder=None, promote=Promotion.DEFAULT,
       tensors=("input",), grad_fn="default", saves=(), check=None, nondiff_outputs=(),
       inplace_grad_fn=None):
    """Declare an op; see the module docstring."""
    def register(fn):
        opname = name or fn.__name__
        # grad_fn may also be a function (targs, static args, static kwargs) -> name: torch
        # names overloads apart (sum() is SumBackward0, sum(dim) SumBackward1);
        # inplace_grad_fn (a name or such a function) names the in-place variant's node where
        # torch's differs (asinh_ is AsinhBackward1, fill_ FillBackward2)
        gname = _default_grad_fn_name(opname) if grad_fn == "default" else grad_fn
        d = OpDef(opname, fn, tensors, variants, dunder, promote, gname, saves, check,
                  nondiff_outputs, inplace_grad_fn)
        if opname in OPS:
            raise ValueError(f"op {opname} declared twice")
        OPS[opname] = d
        return d
    return register


COMPOSITES = {}  # name -> (python function, variants): ops written in terms of other ops


def composite(variants="function method", name=None):
    """Register a Python-level op (a view op, or a composition of table ops) so the same
    variants are derived for it: ``jtorch.<name>`` and/or ``Tensor.<name>``. ``"inplace"``
    declares ``fn(self, ...)`` as the in-place method ``Tensor.<name>`` itself (name ends in
    ``_``): torch's autograd check of ``self`` runs before ``fn``'s own checks."""
    def register(fn):
        opname = name or fn.__name__
        if opname in OPS or opname in COMPOSITES:
            raise ValueError(f"op {opname} declared twice")
        fn = _named(fn, opname)
        COMPOSITES[opname] = (fn, set(variants.split()))
        return fn
    return register


def _named(fn, name):
    """``fn`` under the op's name, as torch's functions carry theirs: a lambda, or one body
    registered as several ops, becomes a copy of itself named ``name``."""
    if fn.__name__ == name:
        return fn
    named = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__,
                               fn.__closure__)
    named.__kwdefaults__, named.__doc__ = fn.__kwdefaults__, fn.__doc__
    named.__qualname__, named.__module__ = name, fn.__module__
    return named


def install(tensor_cls, namespace):
    """Derive and attach every variant of every declared op."""
    from .. import _variants
    for d in OPS.values():
        fn = _variants.make_function(d)
        if "function" in d.variants:
            namespace[d.name] = fn
        if "method" in d.variants:
            setattr(tensor_cls, d.name, _variants.make_method(d))
        if "inplace" in d.variants:
            ip = _variants.make_inplace(d)
            setattr(tensor_cls, d.name + "_", ip)
            if "function" in d.variants:
                namespace[d.name + "_"] = ip
        if d.dunder:
            fwd, rev, inp = _variants.make_dunders(d)
            setattr(tensor_cls, f"__{d.dunder}__", fwd)
            if rev is not None:
                setattr(tensor_cls, f"__r{d.dunder}__", rev)
            if inp is not None:
                setattr(tensor_cls, f"__i{d.dunder}__", inp)
            if d.dunder == "truediv":   # torch keeps Python 2's names as aliases
                tensor_cls.__div__, tensor_cls.__rdiv__ = fwd, rev
                if inp is not None:
                    tensor_cls.__idiv__ = inp
    for name, (fn, variants) in COMPOSITES.items():
        if "inplace" in variants:
            setattr(tensor_cls, name, _variants.make_inplace_composite(fn, name))
            continue
        plain = inspect.isfunction(fn)     # torch's TypeError for a str where a tensor belongs
        if "function" in variants:
            namespace[name] = _errors.guard_arguments(fn, name) if plain else fn
        if "method" in variants:
            setattr(tensor_cls, name, _errors.guard_arguments(fn, name, True) if plain else fn)
    # aliases last: each takes every variant its target has (torch's aliases share the
    # target's kernels and grad_fn names: clip is clamp)
    for name, target in ALIASES.items():
        for suffix in ("", "_"):
            if target + suffix in namespace:
                namespace[name + suffix] = namespace[target + suffix]
            if hasattr(tensor_cls, target + suffix):
                setattr(tensor_cls, name + suffix, getattr(tensor_cls, target + suffix))


ALIASES = {}   # name -> the op or composite it names


def alias(name, target):
    """Declare ``name`` as another name of ``target`` (torch's aliases: clip for clamp)."""
    if name in ALIASES or name in OPS or name in COMPOSITES:
        raise ValueError(f"op {name} declared twice")
    ALIASES[name] = target
