"""Grad modes: no_grad, enable_grad, set_grad_enabled, inference_mode (context managers and
decorators), backed by one thread-local flag."""
import functools
import threading

class _State(threading.local):
    enabled = True      # (a class default: each thread starts enabled, and reading it never
    #                     takes threading.local's slow missing-attribute path)


_state = _State()


def is_grad_enabled() -> bool:
    return getattr(_state, "enabled", True)


def _set_enabled(flag: bool) -> None:
    _state.enabled = bool(flag)


class _GradMode:
    """A context manager that sets grad mode to ``_target``; also a decorator."""

    _target = True

    def __enter__(self):
        self._prev = is_grad_enabled()
        _set_enabled(self._target)

    def __exit__(self, *exc):
        _set_enabled(self._prev)
        return False

    def __call__(self, fn):
        target = self._target

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            prev = is_grad_enabled()
            _set_enabled(target)
            try:
                return fn(*args, **kwargs)
            finally:
                _set_enabled(prev)
        return wrapper


class _NoParamDecorator(_GradMode):
    def __new__(cls, orig_func=None):
        self = super().__new__(cls)
        # the bare decorator form ``@torch.no_grad`` passes the function itself
        return self(orig_func) if callable(orig_func) else self


class no_grad(_NoParamDecorator):
    _target = False

    def __init__(self):     # torch's signature: no_grad() (the decorator form is __new__'s)
        pass


class enable_grad(_NoParamDecorator):
    _target = True


class inference_mode(_GradMode):
    def __new__(cls, mode=True):
        self = super().__new__(cls)
        self._target = not mode if isinstance(mode, bool) else False
        return self(mode) if callable(mode) else self

    def __init__(self, mode=True):
        pass


class set_grad_enabled(_GradMode):
    """Takes effect on construction (function form), restores on ``__exit__`` (context form)."""

    def __init__(self, mode: bool):
        self._prev = is_grad_enabled()
        self._target = bool(mode)
        _set_enabled(self._target)

    def __enter__(self):
        pass


def is_inference_mode_enabled() -> bool:
    return False
