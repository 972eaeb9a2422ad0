"""nn.Module: registration of parameters, buffers and submodules; traversal; state_dict;
modes; hooks; printing identical to torch's."""
from __future__ import annotations

import collections
import functools
import itertools

from ..._tensor import Tensor
from ... import _grad_mode as grad_mode
from ..parameter import Parameter
from .module_hooks import (  # noqa: F401  (torch.nn.modules.module's global hook functions)
    ModuleExtras, _call_impl, register_module_backward_hook,
    register_module_buffer_registration_hook, register_module_forward_hook,
    register_module_forward_pre_hook, register_module_full_backward_hook,
    register_module_full_backward_pre_hook, register_module_module_registration_hook,
    register_module_parameter_registration_hook, run_registration_hooks)

_EXTRA_STATE_KEY_SUFFIX = "_extra_state"  # torch's state_dict key for get_extra_state()


class _IncompatibleKeys(
        collections.namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """load_state_dict's result; prints ``<All keys matched successfully>`` when clean."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def _addindent(text, n):
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * n + ln for ln in lines[1:])


class Module(ModuleExtras):
    training: bool
    _hook_ids = itertools.count()
    _version = 1          # torch's state_dict metadata version of Module

    def __init__(self, *args, **kwargs):
        if args or kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() takes no arguments")
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_forward_hooks", {})
        object.__setattr__(self, "_forward_pre_hooks", {})
        object.__setattr__(self, "_state_dict_hooks", {})
        object.__setattr__(self, "_load_state_dict_pre_hooks", {})

    def forward(self, *input):
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  f'"forward" function')

    __call__ = _call_impl     # module_hooks.py: hooks as torch runs them

    # ---------------------------------------------------------------- registration
    def __setattr__(self, name, value):
        params = self.__dict__.get("_parameters")
        if isinstance(value, Parameter):
            if params is None:
                raise AttributeError("cannot assign parameters before Module.__init__() call")
            self._drop(name)
            if hasattr(type(self), name):    # e.g. a parametrized tensor's property
                raise KeyError(f"attribute '{name}' already exists")
            params[name] = run_registration_hooks("parameter", self, name, value)
        elif params is not None and name in params:
            if value is not None and not isinstance(value, Parameter):
                raise TypeError(f"cannot assign '{type(value).__module__}.{type(value).__name__}'"
                                f" as parameter '{name}' (torch.nn.Parameter or None expected)")
            params[name] = value
        elif isinstance(value, Module):
            if self.__dict__.get("_modules") is None:
                raise AttributeError("cannot assign module before Module.__init__() call")
            self._drop(name)
            self._modules[name] = run_registration_hooks("module", self, name, value)
        elif getattr(value, "_is_buffer", False) and isinstance(value, Tensor):  # nn.Buffer
            self._drop(name)
            self.register_buffer(name, value, value.persistent)
        elif self.__dict__.get("_modules") is not None and name in self._modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module "
                                f"'{name}' (torch.nn.Module or None expected)")
            self._modules[name] = value
        elif self.__dict__.get("_buffers") is not None and name in self._buffers:
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def _drop(self, name):
        for d in (self.__dict__, self._parameters, self._buffers, self._modules):
            d.pop(name, None)

    def __getattr__(self, name):
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                return
        object.__delattr__(self, name)

    def register_parameter(self, name, param):
        if "." in name:
            raise KeyError('parameter name can\'t contain "."')
        if name not in self._parameters and hasattr(self, name):
            raise KeyError(f"attribute '{name}' already exists")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter "
                            f"'{name}' (torch.nn.Parameter or None required)")
        self._parameters[name] = run_registration_hooks("parameter", self, name, param)

    def register_buffer(self, name, tensor, persistent=True):
        if "." in name:
            raise KeyError('buffer name can\'t contain "."')
        self._buffers[name] = run_registration_hooks("buffer", self, name, tensor)
        if not persistent:
            self._non_persistent_buffers_set.add(name)
        else:
            self._non_persistent_buffers_set.discard(name)

    def add_module(self, name, module):
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._modules[name] = run_registration_hooks("module", self, name, module)

    register_module = add_module

    def get_submodule(self, target):
        mod = self
        if target == "":
            return mod
        for part in target.split("."):
            if part not in mod._modules:
                raise AttributeError(f"{mod._get_name()} has no attribute `{part}`")
            mod = mod._modules[part]
        return mod

    # ---------------------------------------------------------------- traversal
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        memo = set() if memo is None else memo
        if remove_duplicate and id(self) in memo:
            return
        memo.add(id(self))
        yield prefix, self
        for name, m in self._modules.items():
            if m is None:
                continue
            yield from m.named_modules(memo, prefix + ("." if prefix else "") + name,
                                       remove_duplicate)

    def modules(self, remove_duplicate=True):
        for _, m in self.named_modules(remove_duplicate=remove_duplicate):
            yield m

    def named_children(self):
        seen = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self):
        for _, m in self.named_children():
            yield m

    def _named_members(self, getter, prefix="", recurse=True, remove_duplicate=True):
        seen = set()
        mods = self.named_modules(prefix=prefix) if recurse else [(prefix, self)]
        for mod_prefix, mod in mods:
            for name, v in getter(mod).items():
                if v is None or (remove_duplicate and id(v) in seen):
                    continue
                seen.add(id(v))
                yield mod_prefix + ("." if mod_prefix else "") + name, v

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        return self._named_members(lambda m: m._parameters, prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        return self._named_members(lambda m: m._buffers, prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    # ---------------------------------------------------------------- state
    def state_dict(self, *args, destination=None, prefix="", keep_vars=False):
        if destination is None:
            out = collections.OrderedDict()
            out._metadata = collections.OrderedDict()   # torch's per-module version metadata
        else:
            out = destination
        self._run_state_dict_pre_hooks(prefix, keep_vars)
        local_metadata = dict(version=self._version)
        if hasattr(out, "_metadata"):
            out._metadata[prefix[:-1]] = local_metadata
        for name, p in self._parameters.items():
            if p is not None:
                out[prefix + name] = p if keep_vars else p.detach()
        for name, b in self._buffers.items():
            if b is not None and name not in self._non_persistent_buffers_set:
                out[prefix + name] = b if keep_vars else b.detach()
        if self._has_extra_state():
            out[prefix + "_extra_state"] = self.get_extra_state()
        for name, m in self._modules.items():
            if m is not None:
                m.state_dict(destination=out, prefix=prefix + name + ".", keep_vars=keep_vars)
        # hooks (spectral_norm's version entry) run after the children, as torch's
        for hook in list(self.__dict__.get("_state_dict_hooks", {}).values()):
            res = hook(self, out, prefix, local_metadata)
            if res is not None:
                out = res
        return out

    def load_state_dict(self, state_dict, strict=True, assign=False):
        # pre-hooks may rename keys (weight_norm, spectral_norm): they edit a copy, as torch's
        metadata = getattr(state_dict, "_metadata", None)
        state_dict = collections.OrderedDict(state_dict)
        hook_missing, hook_unexpected, errors = [], [], []
        for name, mod in self.named_modules():
            prefix = name + "." if name else ""
            local = metadata.get(name, {}) if metadata is not None else {}
            for hook in list(mod.__dict__.get("_load_state_dict_pre_hooks", {}).values()):
                hook(state_dict, prefix, local, strict, hook_missing, hook_unexpected, errors)
            upgrade = getattr(mod, "_upgrade_state_dict", None)
            if upgrade is not None:
                upgrade(state_dict, prefix, local)
        own = self.state_dict(keep_vars=True)
        extra = {(name + "." if name else "") + "_extra_state": mod
                 for name, mod in self.named_modules() if mod._has_extra_state()}
        missing = [k for k in own if k not in state_dict] + hook_missing
        unexpected = [k for k in state_dict if k not in own] + hook_unexpected
        with grad_mode.no_grad():
            for k, v in state_dict.items():
                if k in extra:
                    extra[k].set_extra_state(v)
                elif k in own:
                    if tuple(own[k].shape) != tuple(v.shape):
                        errors.append(f'size mismatch for {k}: copying a param with shape '
                                      f'{v.shape} from checkpoint, the shape in current model '
                                      f'is {own[k].shape}.')
                        continue
                    own[k].copy_(v)
        keys = _IncompatibleKeys(missing, unexpected)
        for mod in self.modules():      # torch's post-hooks may edit the key lists in place
            for hook in list(mod.__dict__.get("_load_state_dict_post_hooks", {}).values()):
                hook(mod, keys)
        if strict:
            if unexpected:
                errors.insert(0, "Unexpected key(s) in state_dict: " +
                              ", ".join(f'"{k}"' for k in unexpected) + ". ")
            if missing:
                errors.insert(0, "Missing key(s) in state_dict: " +
                              ", ".join(f'"{k}"' for k in missing) + ". ")
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {self._get_name()}:\n\t" +
                               "\n\t".join(errors))
        return keys

    # ---------------------------------------------------------------- modes and conversions
    def train(self, mode=True):
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        self.training = mode
        for m in self.children():
            m.train(mode)
        return self

    def eval(self):
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        for p in self.parameters():
            if p.grad is not None:
                if set_to_none:
                    p.grad = None
                else:
                    p.grad.detach_()
                    p.grad.zero_()

    def compile(self, *args, **kwargs):
        """torch's Module.compile: from now on this module's calls run compiled (in place;
        the module, its type name and state_dict keys stay as they are)."""
        from ...compiler import compile_in_place
        compile_in_place(self, *args, **kwargs)

    def apply(self, fn):
        for m in self.children():
            m.apply(fn)
        fn(self)
        return self

    def _apply(self, fn):
        for m in self.children():
            m._apply(fn)
        for store in (self._parameters, self._buffers):
            for k, v in store.items():
                if v is not None:
                    with grad_mode.no_grad():
                        new = fn(v)
                    if new is not v:
                        v.data = new
        return self

    def to(self, *args, **kwargs):
        def convert(t):
            dtype = kwargs.get("dtype")
            for a in args:
                if hasattr(a, "is_floating_point") and not isinstance(a, Tensor):
                    dtype = a
            if dtype is not None and not (t.is_floating_point() or t.is_complex()):
                kw = {k: v for k, v in kwargs.items() if k != "dtype"}
                return t.to(*[a for a in args if a is not dtype], **kw)
            return t.to(*args, **kwargs)
        return self._apply(convert)

    def cuda(self, device=None):
        return self._apply(lambda t: t.cuda(device))

    def cpu(self):
        return self._apply(lambda t: t.cpu())

    def type(self, dst_type):
        return self._apply(lambda t: t.type(dst_type))

    def float(self):
        return self._apply(lambda t: t.float() if t.is_floating_point() else t)

    def double(self):
        return self._apply(lambda t: t.double() if t.is_floating_point() else t)

    def half(self):
        return self._apply(lambda t: t.half() if t.is_floating_point() else t)

    def bfloat16(self):
        return self._apply(lambda t: t.bfloat16() if t.is_floating_point() else t)

    # ---------------------------------------------------------------- hooks
    def _register_state_dict_hook(self, hook):
        """``hook(module, state_dict, prefix, local_metadata)`` after this module's entries."""
        from ...autograd.graph import RemovableHandle
        h = RemovableHandle(self._state_dict_hooks)
        self._state_dict_hooks[h.id] = hook
        return h

    def _register_load_state_dict_pre_hook(self, hook, with_module=False):
        """``hook(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
        error_msgs)`` (module first when ``with_module``) before ``load_state_dict`` copies."""
        from ...autograd.graph import RemovableHandle
        if with_module:
            hook = functools.partial(hook, self)
        h = RemovableHandle(self._load_state_dict_pre_hooks)
        self._load_state_dict_pre_hooks[h.id] = hook
        return h

    # ---------------------------------------------------------------- printing
    def extra_repr(self):
        return ""

    def _get_name(self):
        return type(self).__name__

    def __repr__(self):
        extra = self.extra_repr()
        lines = extra.split("\n") if extra else []
        for name, m in self._modules.items():
            lines.append(f"({name}): " + _addindent(repr(m), 2))
        main = self._get_name() + "("
        if lines:
            if len(lines) == 1 and not self._modules:
                main += lines[0]
            else:
                main += "\n  " + "\n  ".join(lines) + "\n"
        return main + ")"

    def __dir__(self):
        return sorted(set(object.__dir__(self)) | set(self._parameters) | set(self._modules)
                      | set(self._buffers))
