"""torch.optim.LBFGS: limited-memory BFGS, with an optional strong-Wolfe line search.

LBFGS branches on values at every turn (line search, stopping tests), so unlike the fused
optimizers it runs eagerly, written with the public tensor API in torch's order of
operations. Scalars live where torch keeps them: losses as Python floats, dot products and the
quantities derived from them as 0-dim tensors, step sizes as whichever of the two torch's
expressions produce. Mixed Python/tensor arithmetic then rounds as torch's does, and
``state`` holds the same types as torch's.
"""
from __future__ import annotations

import collections

import jtorch
from .optimizer import Optimizer

__all__ = ["LBFGS"]


def _axpy_(y, x, a):
    """``y += a * x`` in place, rounded once like torch's ``y.add_(x, alpha=a)`` (a fused
    multiply-add). jtorch's ``alpha`` is a compile-time constant, so a new value compiles a
    new kernel; LBFGS's coefficients change at every use, so the coefficient travels as a
    0-dim tensor through ``addcmul_``, which XLA compiles to the same fused multiply-add
    (tests/test_optim_lbfgs.py checks the results bit for bit)."""
    a = a.to(y.dtype) if isinstance(a, jtorch.Tensor) else jtorch.tensor(a, dtype=y.dtype)
    return y.addcmul_(x, a)


def _cubic_min(x1, f1, g1, x2, f2, g2, bounds=None):
    """Minimiser of the cubic with values f1, f2 and slopes g1, g2 at x1, x2, clipped to
    ``bounds`` (default: the interval between the points); the middle of the bounds when the
    cubic has no real minimiser."""
    if bounds is None:
        bounds = (x1, x2) if x1 <= x2 else (x2, x1)
    lo, hi = bounds
    # a Python float over a tensor is reciprocal-then-multiply, in torch as in jtorch
    d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2)
    disc = d1 * d1 - g1 * g2               # torch's d1 ** 2 is this exact square
    # a NaN discriminant takes the midpoint, as torch's `>= 0` test sends it there
    if not disc >= 0:
        return (lo + hi) / 2.0
    d2 = disc.sqrt()
    # written from the right-hand point, as torch does (the rounding depends on it)
    if x1 <= x2:
        m = x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
    else:
        m = x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2))
    # builtin min/max: ties keep the first operand, so the result's type (float or tensor)
    # is torch's
    return min(max(m, lo), hi)


class _Wolfe(collections.namedtuple(
        "_Wolfe", "evaluate x0 d d_norm f gtd c1 c2 tolerance_change")):
    """One line search's fixed data: the start ``x0`` (loss ``f``, directional derivative
    ``gtd``) and direction ``d`` (max norm ``d_norm``), the strong Wolfe conditions'
    constants, and the bracket width (in parameter space) below which the search stops."""

    def trial(self, t):
        """(loss, flat grad, directional derivative) at step ``t``."""
        f_new, g_new = self.evaluate(self.x0, t, self.d)
        return f_new, g_new, g_new.dot(self.d)

    def armijo_fails(self, t, f_new):
        return f_new > (self.f + self.c1 * t * self.gtd)

    def curvature_holds(self, gtd_new):
        return abs(gtd_new) <= -self.c2 * self.gtd

    def too_narrow(self, bracket):
        return abs(bracket[1][0] - bracket[0][0]) * self.d_norm < self.tolerance_change


def _point(t, f, g, gtd):
    """A point of the bracket: ``[step, loss, flat grad (a copy), directional derivative]``."""
    return [t, f, g.clone(memory_format=jtorch.contiguous_format), gtd]


def _strong_wolfe(evaluate, x0, t, d, f, g, gtd, c1=1e-4, c2=0.9, tolerance_change=1e-9,
                  max_ls=25):
    """Line search along ``d`` for a step satisfying the strong Wolfe conditions: bracket an
    acceptable step, then shrink the bracket by safeguarded cubic interpolation. Returns
    (loss, flat grad, step, evaluations) at the bracket's best point."""
    d_norm = d.abs().max()
    g = g.clone(memory_format=jtorch.contiguous_format)
    search = _Wolfe(evaluate, x0, d, d_norm, f, gtd, c1, c2, tolerance_change)
    bracket, done, n_evals, n_ls = _bracket(search, t, g, max_ls)
    low, n_evals = _zoom(search, bracket, done, n_evals, n_ls, max_ls)
    t, f_new, g_new = bracket[low][:3]
    return f_new, g_new, t, n_evals


def _bracket(search, t, g, max_ls):
    """Extrapolate from ``t`` until an acceptable step is found (done) or bracketed.
    Returns (bracket, done, evaluations, line-search iterations)."""
    f_new, g_new, gtd_new = search.trial(t)
    n_evals, n_ls = 1, 0
    prev = [0, search.f, g, search.gtd]
    while n_ls < max_ls:
        if search.armijo_fails(t, f_new) or (n_ls > 1 and f_new >= prev[1]):
            return [prev, _point(t, f_new, g_new, gtd_new)], False, n_evals, n_ls
        if search.curvature_holds(gtd_new):    # and sufficient decrease: accept t
            return [[t, f_new, g_new, gtd_new]], True, n_evals, n_ls
        if gtd_new >= 0:                   # slope turned upwards: a minimum lies between
            return [prev, _point(t, f_new, g_new, gtd_new)], False, n_evals, n_ls
        # still descending: extrapolate, at least 1% beyond t and at most 10 t
        t_next = _cubic_min(prev[0], prev[1], prev[3], t, f_new, gtd_new,
                            bounds=(t + 0.01 * (t - prev[0]), t * 10))
        prev = _point(t, f_new, g_new, gtd_new)
        t = t_next
        f_new, g_new, gtd_new = search.trial(t)
        n_evals += 1
        n_ls += 1
    # out of evaluations: the origin and the last try (a negative budget brackets nothing)
    bracket = [[0, search.f, g, None], [t, f_new, g_new, None]] if n_ls == max_ls else None
    return bracket, False, n_evals, n_ls


def _zoom(search, bracket, done, n_evals, n_ls, max_ls):
    """Shrink ``bracket`` in place until a step satisfies both conditions, the budget of
    line-search iterations is spent or the bracket is too narrow. Returns (index of the
    point of lower loss, evaluations)."""
    low, high = (0, 1) if bracket[0][1] <= bracket[-1][1] else (1, 0)
    stalled = False
    while not done and n_ls < max_ls:
        if search.too_narrow(bracket):
            break
        t, stalled = _zoom_trial(bracket, stalled)
        f_new, g_new, gtd_new = search.trial(t)
        n_evals += 1
        n_ls += 1
        point = _point(t, f_new, g_new, gtd_new)
        if search.armijo_fails(t, f_new) or f_new >= bracket[low][1]:
            # no sufficient decrease, or no better than the low end: t is the new high end
            bracket[high] = point
            low, high = (0, 1) if bracket[0][1] <= bracket[1][1] else (1, 0)
            continue
        if search.curvature_holds(gtd_new):
            done = True
        elif gtd_new * (bracket[high][0] - bracket[low][0]) >= 0:
            # the minimum lies on the other side of t: the old low end becomes the high end
            bracket[high] = bracket[low]
        bracket[low] = point
    return low, n_evals


def _zoom_trial(bracket, stalled):
    """The cubic's minimiser over the bracket, kept 10% inside it when progress stalls.
    Returns (trial step, stalled)."""
    t = _cubic_min(bracket[0][0], bracket[0][1], bracket[0][3],
                   bracket[1][0], bracket[1][1], bracket[1][3])
    t_hi, t_lo = max(bracket[0][0], bracket[1][0]), min(bracket[0][0], bracket[1][0])
    eps = 0.1 * (t_hi - t_lo)
    # a trial within 10% of an end makes little progress: the second time in a row (or
    # when it is at or past an end) move it 10% inside instead
    if min(t_hi - t, t - t_lo) < eps:
        if stalled or t >= t_hi or t <= t_lo:
            return (t_hi - eps if abs(t - t_hi) < abs(t - t_lo) else t_lo + eps), False
        return t, True
    return t, False


class LBFGS(Optimizer):
    """L-BFGS over all parameters seen as one flat vector, with the update history of the
    last ``history_size`` steps. ``step(closure)`` runs up to ``max_iter`` iterations (and
    ``max_eval`` evaluations of ``closure``). One parameter group only; the whole state is
    kept under the first parameter, as torch does, so ``state_dict`` has torch's layout."""

    def __init__(self, params, lr=1, max_iter=20, max_eval=None, tolerance_grad=1e-7,
                 tolerance_change=1e-9, history_size=100, line_search_fn=None):
        if isinstance(lr, jtorch.Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if max_eval is None:
            max_eval = max_iter * 5 // 4
        defaults = {"lr": lr, "max_iter": max_iter, "max_eval": max_eval,
                    "tolerance_grad": tolerance_grad, "tolerance_change": tolerance_change,
                    "history_size": history_size, "line_search_fn": line_search_fn}
        super().__init__(params, defaults)
        if len(self.param_groups) != 1:
            raise ValueError("LBFGS doesn't support per-parameter options (parameter groups)")
        self._params = self.param_groups[0]["params"]
        self._numel_cache = None

    def _numel(self):
        """The flat vector's length (a complex parameter counts as its real pairs, as in
        torch)."""
        if self._numel_cache is None:
            self._numel_cache = sum(p.numel() * (2 if p.is_complex() else 1)
                                    for p in self._params)
        return self._numel_cache

    def _gather_flat_grad(self):
        """All gradients as one new flat tensor; a missing gradient counts as zeros; a
        complex one as its (real, imaginary) pairs."""
        pieces = []
        for p in self._params:
            g = p.new_zeros(p.numel()) if p.grad is None else p.grad.view(-1)
            pieces.append(jtorch.view_as_real(g).view(-1) if g.is_complex() else g)
        return jtorch.cat(pieces, 0)

    def _add_grad(self, step_size, update):
        """Parameters += step_size * (their slices of the flat ``update``), in place; a
        complex parameter takes its slice as (real, imaginary) pairs (torch adds into its
        view_as_real, which jtorch's view_as_real, a copy, cannot write through)."""
        offset = 0
        for p in self._params:
            if p.is_complex():
                n = 2 * p.numel()
                pairs = update[offset:offset + n].view(*p.shape, 2).contiguous()
                _axpy_(p, jtorch.view_as_complex(pairs), step_size)
            else:
                n = p.numel()
                _axpy_(p, update[offset:offset + n].view_as(p), step_size)
            offset += n
        if offset != self._numel():
            raise AssertionError(f"Expected offset {offset} to equal {self._numel()}")

    def _directional_evaluate(self, closure, x, t, d):
        """Loss and flat gradient at ``x + t * d``; the parameters are put back to ``x``."""
        self._add_grad(t, d)
        loss = float(closure())
        flat_grad = self._gather_flat_grad()
        for p, saved in zip(self._params, x, strict=True):
            p.copy_(saved)
        return loss, flat_grad

    @jtorch.no_grad()
    def step(self, closure):
        """Minimise from the current parameters; ``closure`` re-evaluates the loss (with
        gradients) and is called at least once. Returns its first loss."""
        if len(self.param_groups) != 1:
            raise AssertionError(
                f"Expected exactly one param_group, but got {len(self.param_groups)}")
        closure = jtorch.enable_grad()(closure)
        group = self.param_groups[0]
        state = self.state[self._params[0]]
        state.setdefault("func_evals", 0)
        state.setdefault("n_iter", 0)

        orig_loss = closure()
        loss = float(orig_loss)
        state["func_evals"] += 1
        flat_grad = self._gather_flat_grad()
        if flat_grad.abs().max() <= group["tolerance_grad"]:   # already a stationary point
            return orig_loss
        # what one call hands the next, kept in state under torch's names (in its order)
        memory = {key: state.get(key) for key in _MEMORY}
        self._iterate(closure, group, state, memory, loss, flat_grad)
        state.update(memory)
        return orig_loss

    def _iterate(self, closure, group, state, memory, loss, flat_grad):
        """Up to max_iter L-BFGS iterations from ``loss`` and ``flat_grad`` (one evaluation
        of the max_eval budget already spent)."""
        max_iter, max_eval = group["max_iter"], group["max_eval"]
        tol_change, lr = group["tolerance_change"], group["lr"]
        if isinstance(lr, jtorch.Tensor) and lr.dim() != 0:
            lr = lr.squeeze()
        evals, n_iter = 1, 0
        while n_iter < max_iter:
            n_iter += 1
            state["n_iter"] += 1
            d = self._direction(state, memory, flat_grad, group["history_size"])
            if memory["prev_flat_grad"] is None:
                memory["prev_flat_grad"] = flat_grad.clone(
                    memory_format=jtorch.contiguous_format)
            else:
                memory["prev_flat_grad"].copy_(flat_grad)
            memory["prev_loss"] = loss
            t = memory["t"] = _initial_step(state, lr, flat_grad)
            gtd = flat_grad.dot(d)
            if gtd > -tol_change:                  # not a descent direction (any more)
                break
            budget = (max_eval - evals, n_iter == max_iter)
            loss, flat_grad, t, ls_evals, opt_cond = self._move(
                closure, group, (d, t, gtd), loss, flat_grad, budget)
            memory["t"] = t
            evals += ls_evals
            state["func_evals"] += ls_evals
            # stop: budget spent, stationary point, or no progress in x or in the loss
            if n_iter == max_iter or evals >= max_eval or opt_cond:
                break
            if d.mul(t).abs().max() <= tol_change:
                break
            if abs(loss - memory["prev_loss"]) < tol_change:
                break

    def _direction(self, state, memory, flat_grad, history_size):
        """The new search direction ``memory['d']``, after adding the last step's curvature
        pair to the history (steepest descent on the first iteration)."""
        if state["n_iter"] == 1:               # no history yet: steepest descent
            memory.update(d=flat_grad.neg(), old_dirs=[], old_stps=[], ro=[], H_diag=1)
            return memory["d"]
        old_dirs, old_stps, ro = memory["old_dirs"], memory["old_stps"], memory["ro"]
        y = flat_grad.sub(memory["prev_flat_grad"])    # gradient change over the last step
        s = memory["d"].mul(memory["t"])               # the last step
        ys = y.dot(s)
        if ys > 1e-10:                         # keep only pairs with positive curvature
            if len(old_dirs) == history_size:
                del old_dirs[0], old_stps[0], ro[0]
            old_dirs.append(y)
            old_stps.append(s)
            ro.append(1.0 / ys)
            memory["H_diag"] = ys / y.dot(y)   # scale of the initial inverse Hessian
        # `al` is kept in state (torch does, for tracing) and sized once
        al = state.setdefault("al", [None] * history_size)
        memory["d"] = _two_loop(flat_grad, old_dirs, old_stps, ro, memory["H_diag"], al)
        return memory["d"]

    def _move(self, closure, group, step, loss, flat_grad, budget):
        """Move the parameters along ``d`` from ``step = (d, t, gtd)``: by the line search,
        or by ``t`` (then re-evaluated, except on the last iteration: the caller's next step
        will). ``budget``: (evaluations left, last iteration). Returns (loss, flat grad,
        step size, evaluations, at a stationary point)."""
        d, t, gtd = step
        evals_left, last = budget
        tol_grad, line_search_fn = group["tolerance_grad"], group["line_search_fn"]
        if line_search_fn is not None:
            if line_search_fn != "strong_wolfe":
                raise RuntimeError("only 'strong_wolfe' is supported")
            x0 = [p.clone(memory_format=jtorch.contiguous_format) for p in self._params]

            def evaluate(x, step_size, direction):
                return self._directional_evaluate(closure, x, step_size, direction)
            # as in torch, the group's tolerance_change does not reach the line search
            loss, flat_grad, t, ls_evals = _strong_wolfe(
                evaluate, x0, t, d, loss, flat_grad, gtd, max_ls=evals_left)
            self._add_grad(t, d)
            return loss, flat_grad, t, ls_evals, flat_grad.abs().max() <= tol_grad
        self._add_grad(t, d)
        if last:
            return loss, flat_grad, t, 0, False
        loss = float(closure())
        flat_grad = self._gather_flat_grad()
        return loss, flat_grad, t, 1, flat_grad.abs().max() <= tol_grad


# the state entries one step() leaves for the next, in the order torch adds them
_MEMORY = ("d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss")


def _initial_step(state, lr, flat_grad):
    """The step size to try: lr, except on the very first iteration, whose step is at most
    lr long in the l1 norm."""
    if state["n_iter"] == 1:
        return min(1.0, 1.0 / flat_grad.abs().sum()) * lr
    return lr


def _two_loop(flat_grad, old_dirs, old_stps, ro, H_diag, al):
    """-H g by the two-loop recursion, H the inverse Hessian the history implies."""
    q = flat_grad.neg()
    for i in reversed(range(len(old_dirs))):
        al[i] = old_stps[i].dot(q) * ro[i]
        _axpy_(q, old_dirs[i], -al[i])
    d = jtorch.mul(q, H_diag)
    for i in range(len(old_dirs)):
        be_i = old_dirs[i].dot(d) * ro[i]
        _axpy_(d, old_stps[i], al[i] - be_i)
    return d
