"""More of nn.Module (issue 18): the call with torch's hook semantics (keyword-argument and
always-called forward hooks, prepend, module-global hooks, full backward hooks), the
state_dict and registration hooks, get_parameter/get_buffer/set_submodule, extra state,
to_empty, share_memory and the device no-ops. ``Module`` inherits ``ModuleExtras``."""
from __future__ import annotations

import warnings

from ... import _grad_mode as grad_mode
from ...autograd.function import Function
from ...autograd.graph import RemovableHandle

# module-global hooks (torch.nn.modules.module.register_module_*): they run before each
# module's own hooks
_global_forward_pre_hooks = {}
_global_forward_hooks = {}
_global_forward_hooks_always_called = {}
_global_forward_hooks_with_kwargs = {}
_global_backward_pre_hooks = {}
_global_backward_hooks = {}
_global_is_full_backward_hook = [None]
_global_buffer_registration_hooks = {}
_global_module_registration_hooks = {}
_global_parameter_registration_hooks = {}


def _add(store, hook, prepend=False, extras=()):
    """Put ``hook`` in ``store`` (first when ``prepend``); the handle also clears the ids in
    ``extras`` (the with_kwargs / always_call sets)."""
    handle = _Handle(store, extras)
    store[handle.id] = hook
    if prepend:
        items = list(store.items())
        store.clear()
        store[handle.id] = hook
        store.update((k, v) for k, v in items if k != handle.id)
    return handle


class _Handle(RemovableHandle):
    def __init__(self, hooks_dict, extras=()):
        super().__init__(hooks_dict)
        self._extras = extras

    def remove(self):
        super().remove()
        for d in self._extras:
            d.pop(self.id, None)


def register_module_forward_pre_hook(hook):
    return _add(_global_forward_pre_hooks, hook)


def register_module_forward_hook(hook, *, with_kwargs=False, always_call=False):
    h = _add(_global_forward_hooks, hook, extras=(_global_forward_hooks_with_kwargs,
                                                  _global_forward_hooks_always_called))
    if with_kwargs:
        _global_forward_hooks_with_kwargs[h.id] = True
    if always_call:
        _global_forward_hooks_always_called[h.id] = True
    return h


def _add_global_backward_hook(hook, full):
    """Both kinds share one store, so the first registration fixes the kind for all."""
    if _global_is_full_backward_hook[0] is (not full):
        raise RuntimeError("Cannot use both regular backward hooks and full backward hooks as a "
                           "global Module hook. Please use only one of them.")
    _global_is_full_backward_hook[0] = full
    return _add(_global_backward_hooks, hook)


def register_module_backward_hook(hook):
    return _add_global_backward_hook(hook, full=False)


def register_module_full_backward_pre_hook(hook):
    return _add(_global_backward_pre_hooks, hook)


def register_module_full_backward_hook(hook):
    return _add_global_backward_hook(hook, full=True)


def register_module_buffer_registration_hook(hook):
    return _add(_global_buffer_registration_hooks, hook)


def register_module_module_registration_hook(hook):
    return _add(_global_module_registration_hooks, hook)


def register_module_parameter_registration_hook(hook):
    return _add(_global_parameter_registration_hooks, hook)


def run_registration_hooks(kind, module, name, value):
    """``hook(module, name, value)`` for a parameter/buffer/module being registered; a hook
    may return a replacement."""
    store = {"parameter": _global_parameter_registration_hooks,
             "buffer": _global_buffer_registration_hooks,
             "module": _global_module_registration_hooks}[kind]
    for hook in list(store.values()):
        res = hook(module, name, value)
        if res is not None:
            value = res
    return value


# ------------------------------------------------------------------ full backward hooks
class BackwardHookFunction(Function):
    """Identity on the module's input (or output) tensors; its backward is where the hooks
    see the gradients (torch's node is named BackwardHookFunctionBackward too)."""

    @staticmethod
    def forward(ctx, state, which, *tensors):
        ctx.state, ctx.which = state, which
        ctx.mark_non_differentiable(*[t for t in tensors if not t.requires_grad])
        return tensors

    @staticmethod
    def backward(ctx, *grads):
        grads = ctx.state.on_output(grads) if ctx.which == "out" else \
            ctx.state.on_input(grads)
        return (None, None) + tuple(grads)


class _BackwardHookState:
    def __init__(self, module, hooks, pre_hooks):
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.grad_outputs = None
        self.n_inputs = 0
        self.input_positions = ()
        self.inputs_need_grad = False

    def _tensors(self, values):
        from ..._tensor import Tensor
        return [i for i, v in enumerate(values) if isinstance(v, Tensor)]

    def setup_inputs(self, args):
        self.n_inputs = len(args)
        pos = self._tensors(args)
        self.input_positions = pos
        self.inputs_need_grad = any(args[i].requires_grad for i in pos)
        if not pos or not (grad_mode.is_grad_enabled() and self.inputs_need_grad):
            return args
        wrapped = BackwardHookFunction.apply(self, "in", *[args[i] for i in pos])
        args = list(args)
        for i, t in zip(pos, wrapped):
            args[i] = t
        return tuple(args)

    def setup_outputs(self, result):
        single = not isinstance(result, tuple)
        outs = (result,) if single else result
        pos = self._tensors(outs)
        if not pos or not grad_mode.is_grad_enabled() or \
                not any(outs[i].requires_grad for i in pos):
            return result
        self.n_outputs, self.output_positions = len(outs), pos
        wrapped = BackwardHookFunction.apply(self, "out", *[outs[i] for i in pos])
        outs = list(outs)
        for i, t in zip(pos, wrapped):
            outs[i] = t
        return outs[0] if single else tuple(outs)

    def _pack(self, grads, positions, n):
        full = [None] * n
        for i, g in zip(positions, grads):
            full[i] = g
        return tuple(full)

    def on_output(self, grads):
        packed = self._pack(grads, self.output_positions, self.n_outputs)
        for hook in list(self.pre_hooks):
            res = hook(self.module, packed)
            if res is None:
                continue
            if len(res) != len(packed):
                raise RuntimeError(f"Backward pre hook returned an invalid number of "
                                   f"grad_output, got {len(res)}, but expected {len(packed)}")
            packed = tuple(res)
        self.grad_outputs = packed
        if not self.inputs_need_grad:      # no input gradient: the hooks run now
            self._call_hooks(tuple(None for _ in range(self.n_inputs)))
        return [packed[i] for i in self.output_positions]

    def on_input(self, grads):
        packed = self._call_hooks(self._pack(grads, self.input_positions, self.n_inputs))
        return [packed[i] for i in self.input_positions]

    def _call_hooks(self, grad_input):
        for hook in list(self.hooks):
            res = hook(self.module, grad_input, self.grad_outputs)
            if res is None:
                continue
            res = tuple(res) if isinstance(res, (tuple, list)) else (res,)
            if len(res) != len(grad_input):
                raise RuntimeError(f"Backward hook returned an invalid number of grad_input, "
                                   f"got {len(res)}, but expected {len(grad_input)}")
            grad_input = res
        return grad_input


def _store(module, name):
    d = module.__dict__.get(name)
    if d is None:
        d = {}
        object.__setattr__(module, name, d)
    return d


def _call_impl(self, *args, **kwargs):
    """Module.__call__: torch's order: global then own forward pre-hooks, backward-hook
    set-up, forward, global then own forward hooks (always-called ones even on error)."""
    d = self.__dict__
    if not (self._forward_pre_hooks or self._forward_hooks or d.get("_backward_hooks") or
            d.get("_backward_pre_hooks") or _global_forward_pre_hooks or
            _global_forward_hooks or _global_backward_hooks or _global_backward_pre_hooks):
        return self.forward(*args, **kwargs)
    pre_kw = d.get("_forward_pre_hooks_with_kwargs") or {}
    for hid, hook in list(_global_forward_pre_hooks.items()) + \
            list(self._forward_pre_hooks.items()):
        if hid in pre_kw:
            res = hook(self, args, kwargs)
            if res is not None:
                if not (isinstance(res, tuple) and len(res) == 2):
                    raise RuntimeError(f"forward pre-hook must return None or a tuple of "
                                       f"(new_args, new_kwargs), but got {res}.")
                args, kwargs = res
        else:
            res = hook(self, args)
            if res is not None:
                args = res if isinstance(res, tuple) else (res,)
    full, non_full = self._backward_hook_lists()
    state = None
    if full or list(_global_backward_pre_hooks.values()) + list(
            (d.get("_backward_pre_hooks") or {}).values()):
        pre = list(_global_backward_pre_hooks.values()) + \
            list((d.get("_backward_pre_hooks") or {}).values())
        state = _BackwardHookState(self, full, pre)
        args = state.setup_inputs(args)
    try:
        result = self.forward(*args, **kwargs)
    except Exception:
        self._run_always_called(args, kwargs)
        raise
    fwd_kw = d.get("_forward_hooks_with_kwargs") or {}
    for hid, hook in list(_global_forward_hooks.items()) + list(self._forward_hooks.items()):
        kw = hid in fwd_kw or hid in _global_forward_hooks_with_kwargs
        res = hook(self, args, kwargs, result) if kw else hook(self, args, result)
        if res is not None:
            result = res
    if state is not None:
        result = state.setup_outputs(result)
    if non_full:
        self._attach_legacy_backward_hooks(result, non_full)
    return result


class ModuleExtras:
    """Methods of torch's nn.Module beyond the core in module.py."""

    dump_patches = False
    call_super_init = False
    T_destination = dict

    # ---------------------------------------------------------------- forward hooks
    def register_forward_pre_hook(self, hook, *, prepend=False, with_kwargs=False):
        kw = _store(self, "_forward_pre_hooks_with_kwargs")
        h = _add(self._forward_pre_hooks, hook, prepend, extras=(kw,))
        if with_kwargs:
            kw[h.id] = True
        return h

    def register_forward_hook(self, hook, *, prepend=False, with_kwargs=False,
                              always_call=False):
        kw = _store(self, "_forward_hooks_with_kwargs")
        always = _store(self, "_forward_hooks_always_called")
        h = _add(self._forward_hooks, hook, prepend, extras=(kw, always))
        if with_kwargs:
            kw[h.id] = True
        if always_call:
            always[h.id] = True
        return h

    def _run_always_called(self, args, kwargs):
        always = self.__dict__.get("_forward_hooks_always_called") or {}
        kw = self.__dict__.get("_forward_hooks_with_kwargs") or {}
        hooks = [(hid, h) for hid, h in _global_forward_hooks.items()
                 if hid in _global_forward_hooks_always_called]
        hooks += [(hid, h) for hid, h in self._forward_hooks.items() if hid in always]
        for hid, hook in hooks:
            try:
                if hid in kw or hid in _global_forward_hooks_with_kwargs:
                    hook(self, args, kwargs, None)
                else:
                    hook(self, args, None)
            except Exception as e:
                warnings.warn(f"forward hook with ``always_call=True`` raised an exception that "
                              f"was silenced as another error was raised in forward: {e}",
                              stacklevel=2)

    # ---------------------------------------------------------------- backward hooks
    def register_full_backward_pre_hook(self, hook, prepend=False):
        return _add(_store(self, "_backward_pre_hooks"), hook, prepend)

    def register_full_backward_hook(self, hook, prepend=False):
        if self.__dict__.get("_is_full_backward_hook") is False:
            raise RuntimeError("Cannot use both regular backward hooks and full backward hooks "
                               "on a single Module. Please use only one of them.")
        object.__setattr__(self, "_is_full_backward_hook", True)
        return _add(_store(self, "_backward_hooks"), hook, prepend)

    def register_backward_hook(self, hook):
        if self.__dict__.get("_is_full_backward_hook") is True:
            raise RuntimeError("Cannot use both regular backward hooks and full backward hooks "
                               "on a single Module. Please use only one of them.")
        object.__setattr__(self, "_is_full_backward_hook", False)
        return _add(_store(self, "_backward_hooks"), hook)

    def _backward_hook_lists(self):
        own = list((self.__dict__.get("_backward_hooks") or {}).values())
        glob = list(_global_backward_hooks.values())
        full, non_full = [], []
        (full if _global_is_full_backward_hook[0] else non_full).extend(glob)
        (full if self.__dict__.get("_is_full_backward_hook") else non_full).extend(own)
        return full, non_full

    def _attach_legacy_backward_hooks(self, result, hooks):
        """The deprecated backward hook: it sees the gradients of the output's last node."""
        from ..._tensor import Tensor
        var = result
        while not isinstance(var, Tensor):
            if isinstance(var, dict):
                var = next(v for v in var.values() if isinstance(v, Tensor))
            else:
                var = var[0]
        if var.grad_fn is not None:
            for hook in hooks:
                var.grad_fn.register_hook(
                    lambda gi, go, hook=hook: hook(self, gi, go))

    # ---------------------------------------------------------------- state_dict hooks
    def register_state_dict_pre_hook(self, hook):
        """``hook(module, prefix, keep_vars)`` before this module's entries are saved."""
        return _add(_store(self, "_state_dict_pre_hooks"), hook)

    def register_state_dict_post_hook(self, hook):
        """``hook(module, state_dict, prefix, local_metadata)`` after the entries (and the
        children's) are saved; it edits ``state_dict`` in place."""
        def post(module, state_dict, prefix, local_metadata):
            if hook(module, state_dict, prefix, local_metadata) is not None:
                raise RuntimeError("state_dict post-hook must return None")
        return _add(self._state_dict_hooks, post)

    def register_load_state_dict_pre_hook(self, hook):
        """``hook(module, state_dict, prefix, local_metadata, strict, missing_keys,
        unexpected_keys, error_msgs)`` before load_state_dict copies."""
        return self._register_load_state_dict_pre_hook(hook, with_module=True)

    def register_load_state_dict_post_hook(self, hook):
        """``hook(module, incompatible_keys)`` after load_state_dict (run by
        ``load_state_dict`` where it supports post-hooks)."""
        return _add(_store(self, "_load_state_dict_post_hooks"), hook)

    def _run_state_dict_pre_hooks(self, prefix, keep_vars):
        for hook in list((self.__dict__.get("_state_dict_pre_hooks") or {}).values()):
            hook(self, prefix, keep_vars)

    def _has_extra_state(self):
        return type(self).get_extra_state is not ModuleExtras.get_extra_state

    # ---------------------------------------------------------------- extra state
    def get_extra_state(self):
        raise RuntimeError("Reached a code path in Module.get_extra_state() that should never be "
                           "called. Please file an issue at https://github.com/pytorch/pytorch/"
                           "issues/new?template=bug-report.yml to report this bug.")

    def set_extra_state(self, state):
        raise RuntimeError("Reached a code path in Module.set_extra_state() that should never be "
                           "called. Please file an issue at https://github.com/pytorch/pytorch/"
                           "issues/new?template=bug-report.yml to report this bug.")

    # ---------------------------------------------------------------- lookup by path
    def get_parameter(self, target):
        return self._get_by_path(target, "_parameters", "an nn.Parameter")

    def get_buffer(self, target):
        return self._get_by_path(target, "_buffers", "a buffer")

    def _get_by_path(self, target, store, what):
        """The entry ``a.b.name`` of submodule ``a.b``'s ``store`` dict, with torch's errors
        for a missing attribute and for one that is not ``what``."""
        mod_path, _, name = target.rpartition(".")
        mod = self.get_submodule(mod_path)
        if not hasattr(mod, name):
            raise AttributeError(f"{mod._get_name()} has no attribute `{name}`")
        entries = getattr(mod, store)
        if name not in entries:
            raise AttributeError(f"`{name}` is not {what}")
        return entries[name]

    def set_submodule(self, target, module, strict=False):
        from .module import Module
        if target == "":
            raise ValueError("Cannot set the submodule without a target name!")
        atoms = target.split(".")
        if not isinstance(module, Module):
            raise ValueError(f"`module` is not an nn.Module, found {type(module)}")
        parent = self
        for item in atoms[:-1]:
            if not hasattr(parent, item):
                raise AttributeError(f"{parent._get_name()} has no attribute `{item}`")
            parent = getattr(parent, item)
            if not isinstance(parent, Module):
                raise AttributeError(f"`{item}` is not an nn.Module")
        name = atoms[-1]
        if strict and not hasattr(parent, name):
            raise AttributeError(f"{parent._get_name()} has no attribute `{name}`")
        if hasattr(parent, name) and not isinstance(getattr(parent, name), Module):
            raise AttributeError(f"`{name}` is not an nn.Module")
        setattr(parent, name, module)

    # ---------------------------------------------------------------- storage and devices
    def to_empty(self, *, device, recurse=True):
        import jtorch
        return self._apply(lambda t: jtorch.empty_like(t))

    def share_memory(self):
        # one process: tensors are already visible to every thread
        return self

    # a CPU build has none of these devices: moving a tensor fails as torch's does, a
    # module without tensors is returned unchanged
    def ipu(self, device=None):
        return self._no_device(RuntimeError("PyTorch is not linked with support for ipu "
                                            "devices"))

    def xpu(self, device=None):
        return self._no_device(AssertionError("Torch not compiled with XPU enabled"))

    def mtia(self, device=None):
        return self._no_device(AssertionError(
            "Torch not compiled with MTIA enabled. Ensure you have `import "
            "mtia.host_runtime.torch_mtia.dynamic_library` in your python src file and include "
            "`//mtia/host_runtime/torch_mtia:torch_mtia` as your target dependency!"))

    def _no_device(self, error):
        if any(True for _ in self.parameters()) or any(True for _ in self.buffers()):
            raise error
        return self

    def compile(self, *args, **kwargs):
        """torch.compile in place: jtorch already compiles its ops with XLA, so the module is
        left as it is."""
        return None
