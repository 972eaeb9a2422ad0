"""torch.GradScaler (torch.amp.GradScaler): dynamic loss scaling for mixed precision.

torch's algorithm: the loss is multiplied by ``scale``; ``unscale_`` divides the gradients
by it and notes whether any is inf/NaN; ``step`` skips the optimizer step when one was;
``update`` halves the scale after an overflow (``backoff_factor``) and doubles it after
``growth_interval`` clean steps (``growth_factor``). The scale is a float32 tensor, as in
torch. A CUDA scaler on a machine without CUDA is disabled with torch's warning."""
import warnings

import jtorch

_READY, _UNSCALED, _STEPPED = 0, 1, 2


def _accessors(attr):
    """torch's get_<x>/set_<x> method pair for the attribute ``attr``."""
    def getter(self):
        return getattr(self, attr)

    def setter(self, value):
        setattr(self, attr, value)
    name = attr.lstrip("_")
    getter.__name__, setter.__name__ = f"get_{name}", f"set_{name}"
    return getter, setter


class GradScaler:
    def __init__(self, device="cuda", init_scale=2.0 ** 16, growth_factor=2.0,
                 backoff_factor=0.5, growth_interval=2000, enabled=True):
        self._device = device
        self._enabled = enabled
        if device == "cuda" and enabled and not jtorch.cuda.is_available():
            warnings.warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                          "Disabling.")
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise AssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise AssertionError("The backoff factor must be < 1.0.")
        self._init_scale = init_scale
        self._growth_factor = growth_factor
        self._backoff_factor = backoff_factor
        self._growth_interval = growth_interval
        self._scale = None
        self._growth_tracker = 0
        self._states = {}

    # ------------------------------------------------------------------ scaling
    def _lazy_scale(self):
        if self._scale is None:
            self._scale = jtorch.full((), self._init_scale, dtype=jtorch.float32)
        return self._scale

    def scale(self, outputs):
        """outputs * scale (a tensor, or the tensors of a list/tuple/iterable)."""
        if not self._enabled:
            return outputs
        if isinstance(outputs, jtorch.Tensor):
            return outputs * self._lazy_scale().to(outputs.dtype)
        if isinstance(outputs, (list, tuple)):
            return type(outputs)(self.scale(o) for o in outputs)
        return map(self.scale, outputs)

    def _check_scale(self, funcname):
        if self._scale is None:
            raise AssertionError(f"Attempted {funcname} but _scale is None.  This may indicate "
                                 "your script did not use scaler.scale(loss or outputs) "
                                 "earlier in the iteration.")
        return self._scale

    def _state(self, optimizer):
        return self._states.setdefault(id(optimizer), {"stage": _READY, "found_inf": None})

    def unscale_(self, optimizer):
        """Divide the optimizer's gradients by the scale (once per step) and record
        whether any of them is inf or NaN."""
        if not self._enabled:
            return
        state = self._state(optimizer)
        if state["stage"] == _UNSCALED:
            raise RuntimeError("unscale_() has already been called on this optimizer since "
                               "the last update().")
        if state["stage"] == _STEPPED:
            raise RuntimeError("unscale_() is being called after step().")
        inv = self._check_scale("unscale_").double().reciprocal().float()
        found = False
        with jtorch.no_grad():
            for group in optimizer.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    if p.grad.dtype == jtorch.float16:
                        raise ValueError("Attempting to unscale FP16 gradients.")
                    if not bool(jtorch.isfinite(p.grad).all()):
                        found = True
                    p.grad.mul_(inv.to(p.grad.dtype))
        state["found_inf"] = found
        state["stage"] = _UNSCALED

    def step(self, optimizer, *args, **kwargs):
        """optimizer.step() unless the (unscaled) gradients held inf/NaN."""
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise RuntimeError("Closure use is not currently supported if GradScaler is "
                               "enabled.")
        state = self._state(optimizer)
        if state["stage"] == _STEPPED:
            raise RuntimeError("step() has already been called since the last update().")
        if state["stage"] == _READY:
            self.unscale_(optimizer)
        result = None if state["found_inf"] else optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return result

    def update(self, new_scale=None):
        """Back off after an overflow, grow after growth_interval clean steps."""
        if not self._enabled:
            return
        self._check_scale("update")
        if new_scale is not None:
            value = float(new_scale) if not isinstance(new_scale, jtorch.Tensor) \
                else float(new_scale.item())
            self._scale = jtorch.full((), value, dtype=jtorch.float32)
        else:
            found = [s["found_inf"] for s in self._states.values() if s["found_inf"] is not None]
            if not found:
                raise AssertionError("No inf checks were recorded prior to update.")
            scale = self._lazy_scale()
            if any(found):
                self._scale = scale * self._backoff_factor
                self._growth_tracker = 0
            else:
                self._growth_tracker += 1
                if self._growth_tracker == self._growth_interval:
                    grown = scale * self._growth_factor
                    if bool(jtorch.isfinite(grown)):     # torch keeps the scale finite
                        self._scale = grown
                    self._growth_tracker = 0
        self._states = {}

    # ------------------------------------------------------------------ accessors
    def get_scale(self):
        if not self._enabled:
            return 1.0
        return self._init_scale if self._scale is None else float(self._scale.item())

    get_growth_factor, set_growth_factor = _accessors("_growth_factor")
    get_backoff_factor, set_backoff_factor = _accessors("_backoff_factor")
    get_growth_interval, set_growth_interval = _accessors("_growth_interval")

    def is_enabled(self):
        return self._enabled

    def state_dict(self):
        if not self._enabled:
            return {}
        return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                "backoff_factor": self._backoff_factor,
                "growth_interval": self._growth_interval,
                "_growth_tracker": self._growth_tracker}

    def load_state_dict(self, state_dict):
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise RuntimeError("The source state dict is empty, possibly because it was saved "
                               "from a disabled instance of GradScaler.")
        self._init_scale = state_dict["scale"]
        self._scale = jtorch.full((), state_dict["scale"], dtype=jtorch.float32)
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._growth_tracker = state_dict["_growth_tracker"]


GradScaler.__module__ = "torch.amp.grad_scaler"
