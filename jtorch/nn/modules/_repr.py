"""The settings part of torch's ``extra_repr``: a module lists only what differs from its
default, in torch's order."""


def changed(module, defaults, show=str):
    """``", name=value"`` for each ``name -> default`` of ``defaults`` whose value on ``module``
    differs. torch's own tests compare None, True and False by identity (``is not``), so
    ``bias=1`` is listed where ``bias=True`` is not; every other default by ``!=``."""
    parts = []
    for name, default in defaults.items():
        value = getattr(module, name)
        if default is None or isinstance(default, bool):
            differs = value is not default
        else:
            differs = value != default
        if differs:
            parts.append(f", {name}={show(value)}")
    return "".join(parts)
