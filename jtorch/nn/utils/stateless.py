"""functional_call: run a module with some of its parameters and buffers swapped for the
given tensors (gradients then flow to those tensors), restoring them afterwards."""
from __future__ import annotations


def _owner(module, name):
    *path, leaf = name.split(".")
    for part in path:
        module = getattr(module, part)
    return module, leaf


def _tied_names(module):
    """name -> every name of the same tensor (tied weights), over parameters and buffers."""
    groups = {}
    for name, t in list(module.named_parameters(remove_duplicate=False)) + \
            list(module.named_buffers(remove_duplicate=False)):
        groups.setdefault(id(t), []).append(name)
    return {n: names for names in groups.values() for n in names}


def _merge(parameters_and_buffers):
    if isinstance(parameters_and_buffers, (list, tuple)):
        merged = {}
        for d in parameters_and_buffers:
            for k, v in d.items():
                if k in merged:
                    raise ValueError(f"{k} appeared in multiple dictionaries; behavior of "
                                     "functional call is ambiguous")
                merged[k] = v
        return merged
    return dict(parameters_and_buffers)


def functional_call(module, parameters_and_buffers, args=None, kwargs=None, *,
                    tie_weights=True, strict=False):
    values = _merge(parameters_and_buffers)
    if tie_weights:
        tied = _tied_names(module)
        for name in list(values):
            for alias in tied.get(name, ()):
                if alias in values and values[alias] is not values[name]:
                    raise ValueError(f"functional_call got multiple values for keys ['{name}', "
                                     f"'{alias}'], which are tied. Consider using "
                                     "tie_weights=False")
                values.setdefault(alias, values[name])
    if strict:
        own = set(dict(module.named_parameters(remove_duplicate=False))) | \
            set(dict(module.named_buffers(remove_duplicate=False)))
        missing = sorted(own - set(values))
        unexpected = sorted(set(values) - own)
        errors = []
        if unexpected:
            errors.append("Unexpected key(s): " + ", ".join(map(repr, unexpected)) + ".")
        if missing:
            errors.append("Missing key(s): " + ", ".join(map(repr, missing)) + ".")
        if errors:
            raise RuntimeError(f"Error(s) in reparametrizing for {module._get_name()}:\n\t" +
                               "\n\t".join(errors))
    saved = []
    try:
        for name, value in values.items():
            owner, leaf = _owner(module, name)
            store = owner._parameters if leaf in owner._parameters else \
                owner._buffers if leaf in owner._buffers else None
            if store is None:
                saved.append((owner.__dict__, leaf, owner.__dict__.get(leaf, _MISSING)))
                owner.__dict__[leaf] = value
            else:
                saved.append((store, leaf, store[leaf]))
                store[leaf] = value
        if args is None:
            args = ()
        elif not isinstance(args, tuple):
            args = (args,)
        return module(*args, **(kwargs or {}))
    finally:
        for store, leaf, old in reversed(saved):
            if old is _MISSING:
                store.pop(leaf, None)
            else:
                store[leaf] = old


_MISSING = object()

__all__ = ["functional_call"]
