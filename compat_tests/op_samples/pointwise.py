"""Records of the pointwise ops: arithmetic, comparisons, logical and bitwise, unary and binary math."""
import numpy as np

from .base import (B, BF16, C128, C64, F16, F32, F64, FLOAT, FLOAT_H, I16, I32, I64, I8, INF,
                   INT_B, In, Mask, NAN, NUM, NUM_B, S, U8, binary, rec, unary)


# ---- arithmetic (existing ops)
rec("add", lambda m, a, b: m.add(a, b), binary(), NUM_B)
rec("add.alpha", lambda m, a, b: m.add(a, b, alpha=2), binary(special=False), NUM)
rec("add.method", lambda m, a, b: a.add(b), binary(rscalar=False), FLOAT)
rec("add.inplace", lambda m, a, b: a.clone().add_(b), binary(inplace=True), (F32, F64, I64))
rec("add.out", lambda m, a, b: m.add(a, b, out=m.empty(0, dtype=a.dtype)),
    binary(rscalar=False), NUM, grad=False)
rec("add.dunder", lambda m, a, b: a + b, binary(rscalar=False), (F32, F16, BF16, I64))
rec("add.lowp", lambda m, a, b: m.add(a, b), binary(special=False), (F16, BF16, I16, I8, U8))
rec("sub", lambda m, a, b: m.sub(a, b, alpha=3), binary(), NUM)
rec("sub.bool", lambda m, a, b: m.sub(a, b),
    lambda g: [S("bools", Mask(g.v(3) > 0), Mask(g.v(3) > 0), raises=True)], (F32,), grad=False)
rec("rsub", lambda m, a, b: m.rsub(a, b), binary(rscalar=False), NUM)
rec("__rsub__", lambda m, a, b: b - a if not hasattr(b, "shape") else a.__rsub__(b),
    binary(rscalar=False), FLOAT)
rec("mul", lambda m, a, b: m.mul(a, b), binary(), NUM_B)
rec("mul.inplace", lambda m, a, b: a.clone().mul_(b), binary(inplace=True), FLOAT)
rec("div", lambda m, a, b: m.div(a, b), binary(domain2="pos"), NUM_B)
rec("div.trunc", lambda m, a, b: m.div(a, b, rounding_mode="trunc"),
    binary(domain2="pos", special=False), NUM)
rec("div.floor", lambda m, a, b: m.div(a, b, rounding_mode="floor"),
    binary(domain2="pos", special=False), NUM)
rec("true_divide", lambda m, a, b: m.true_divide(a, b), binary(domain2="pos"), (F32, I64))
rec("floor_divide", lambda m, a, b: m.floor_divide(a, b), binary(domain2="pos", special=False),
    NUM, grad=False)
rec("remainder", lambda m, a, b: m.remainder(a, b),
    binary(domain2="pos", special=False, rscalar=True), NUM)
rec("fmod", lambda m, a, b: m.fmod(a, b), binary(domain2="pos", special=False), NUM)
rec("pow", lambda m, a, b: m.pow(a, b), binary("pos", special=False, scalar=2.0, int_scalar=2,
                                                rscalar=True),
    NUM)
rec("pow.int_exp", lambda m, a: m.pow(a, 2), unary(), FLOAT)
rec("pow.zero_base", lambda m, a, b: m.pow(a, b),
    lambda g: [S("zeros", np.array([0.0, 0.0, 2.0, 0.0]), np.array([2.0, 0.0, 0.0, 0.5]))],
    (F64,))
rec("neg", lambda m, a: m.neg(a), unary(), NUM)
rec("neg.dunder", lambda m, a: -a, unary(), (F32, I64))
rec("abs", lambda m, a: m.abs(a), unary(), NUM)
rec("abs.inplace", lambda m, a: a.clone().abs_(), unary(), FLOAT)
rec("square", lambda m, a: m.square(a), unary(), NUM)
rec("reciprocal", lambda m, a: m.reciprocal(a), unary(), NUM)
rec("__pos__", lambda m, a: +a, unary(), (F32, I64))

# ---- comparisons, logical, bitwise (existing)
for _n in ("eq", "ne", "lt", "le", "gt", "ge"):
    rec(_n, (lambda n: lambda m, a, b: getattr(m, n)(a, b))(_n), binary("ties"), NUM_B,
        grad=False)
for _n in ("logical_and", "logical_or", "logical_xor"):
    rec(_n, (lambda n: lambda m, a, b: getattr(m, n)(a, b))(_n), binary("ties", scalar=None),
        NUM_B,
        grad=False)
rec("logical_not", lambda m, a: m.logical_not(a), unary("ties"), NUM_B, grad=False)
for _n in ("bitwise_and", "bitwise_or", "bitwise_xor"):
    rec(_n, (lambda n: lambda m, a, b: getattr(m, n)(a, b))(_n),
        binary(special=False, rscalar=False), INT_B, grad=False)
rec("bitwise_not", lambda m, a: m.bitwise_not(a), unary(), INT_B, grad=False)
rec("bitwise_left_shift", lambda m, a, b: m.bitwise_left_shift(a, b),
    lambda g: [S("same", g.rng.randint(0, 20, (3, 4)), g.rng.randint(0, 4, (3, 4)))],
    (I64, I32), grad=False)
rec("bitwise_right_shift", lambda m, a, b: m.bitwise_right_shift(a, b),
    lambda g: [S("same", g.rng.randint(-20, 20, (3, 4)), g.rng.randint(0, 4, (3, 4)))],
    (I64, I32), grad=False)
rec("bitwise_and.float", lambda m, a, b: m.bitwise_and(a, b),
    lambda g: [S("float", g.v(3), g.v(3), raises=True)], (F32,), grad=False)

# ---- unary float functions (existing)
for _n, _dom in [("exp", "v"), ("exp2", "v"), ("expm1", "v"), ("log", "pos"), ("log2", "pos"),
                 ("log10", "pos"), ("log1p", "pos"), ("sqrt", "pos"), ("rsqrt", "pos"),
                 ("sin", "v"), ("cos", "v"), ("tan", "v"), ("asin", "unit"), ("acos", "unit"),
                 ("atan", "v"), ("sinh", "v"), ("cosh", "v"), ("tanh", "v"), ("asinh", "v"),
                 ("acosh", "pos"), ("atanh", "unit"), ("sigmoid", "v"), ("erf", "v"),
                 ("erfc", "v"), ("erfinv", "unit")]:
    _dom2 = "pos" if _n == "acosh" else _dom
    rec(_n, (lambda n: lambda m, a: getattr(m, n)(a))(_n), unary(_dom2), NUM,
        tol={F32: (2e-6, 1e-6)})
rec("exp.inplace", lambda m, a: a.clone().exp_(), unary(), FLOAT)
rec("sin.method", lambda m, a: a.sin(), unary(), (F16, BF16), grad=False)
rec("log.special", lambda m, a: m.log(a), unary("v"), FLOAT)
rec("sqrt.out", lambda m, a: m.sqrt(a, out=m.empty(0)), unary("pos"), (F32,), grad=False)
rec("relu", lambda m, a: m.relu(a), unary("ties"), NUM)
rec("relu.kink", lambda m, a: m.relu(a), lambda g: [S("zero", np.array([-1.0, 0.0, 1.0]))],
    (F64,))
rec("sign", lambda m, a: m.sign(a), unary(), NUM_B)
for _n in ("ceil", "floor", "trunc", "round"):
    rec(_n, (lambda n: lambda m, a: getattr(m, n)(a))(_n), unary(), NUM)
rec("round.decimals", lambda m, a: m.round(a, decimals=2), unary(special=False), FLOAT)
rec("frac", lambda m, a: m.frac(a), unary(), FLOAT)
rec("clamp", lambda m, a: m.clamp(a, -1, 1.5), unary("ties"), NUM)
rec("clamp.tensor", lambda m, a, lo, hi: m.clamp(a, lo, hi),
    lambda g: [S("t", g.v(3, 4), g.v(3, 1, lo=-2, hi=0), g.v(4, lo=0, hi=2)),
               S("ties", np.array([-1.0, 0.0, 1.0]), np.array([-1.0, 0.0, 0.0]),
                 np.array([1.0, 0.0, 1.0]))], FLOAT)
rec("clamp.min", lambda m, a: a.clamp(min=0.5), unary(), FLOAT)
rec("clamp.inplace", lambda m, a: a.clone().clamp_(max=0.5), unary(), FLOAT)
rec("maximum", lambda m, a, b: m.maximum(a, b), binary("ties", rscalar=False, scalar=None),
    NUM)
rec("minimum", lambda m, a, b: m.minimum(a, b), binary("ties", rscalar=False, scalar=None),
    NUM)
rec("where", lambda m, c, a, b: m.where(c, a, b),
    lambda g: [S("same", Mask(g.rng.rand(3, 4) > 0.5), g.v(3, 4), g.v(3, 4)),
               S("bcast", Mask(g.rng.rand(3, 1) > 0.5), g.v(1, 4), g.v(3, 4)),
               S("scalar", Mask(g.rng.rand(3, 4) > 0.5), g.v(3, 4), 0.0 if g.is_float else 0),
               S("empty", Mask(np.zeros((0, 4), bool)), g.v(0, 4), g.v(4))], NUM_B)
rec("isnan", lambda m, a: m.isnan(a), unary(), NUM_B, grad=False)
rec("isinf", lambda m, a: m.isinf(a), unary(), NUM_B, grad=False)
rec("isfinite", lambda m, a: m.isfinite(a), unary(), NUM_B, grad=False)
rec("fill", lambda m, a: a.clone().fill_(2.5), unary(), NUM)
rec("zero", lambda m, a: a.clone().zero_(), unary(), NUM)

# ---- new pointwise (math_ops, math_unary)
rec("addcmul", lambda m, a, b, c: m.addcmul(a, b, c, value=2),
    lambda g: [S("same", g.v(3, 4), g.v(3, 4), g.v(3, 4)),
               S("bcast", g.v(3, 1), g.v(4), g.v(1, 4)),
               S("0d", np.asarray(g.v()), g.v(3, 4), g.v(3, 4))], NUM)
rec("addcmul.frac_value", lambda m, a, b, c: m.addcmul(a, b, c, value=0.5),
    lambda g: [S("same", g.v(3, 4), g.v(3, 4), g.v(3, 4))], NUM)
rec("addcmul.bool", lambda m, a, b, c: m.addcmul(a, b, c),
    lambda g: [S("b", g.v(3), g.v(3), g.v(3), raises=True)], (B,), grad=False)
rec("addcmul.inplace", lambda m, a, b, c: a.clone().addcmul_(b, c), lambda g: [
    S("same", g.v(3, 4), g.v(3, 4), g.v(1, 4))], FLOAT)
rec("addcdiv", lambda m, a, b, c: m.addcdiv(a, b, c, value=-1.5),
    lambda g: [S("same", g.v(3, 4), g.v(3, 4), g.pos(3, 4)),
               S("bcast", g.v(3, 1), g.v(4), g.pos(1, 4))], FLOAT)
rec("addcdiv.int", lambda m, a, b, c: m.addcdiv(a, b, c),
    lambda g: [S("ints", g.v(3), g.v(3), g.pos(3), raises=True)], (I64,), grad=False)
rec("addcdiv.method", lambda m, a, b, c: a.addcdiv(b, c), lambda g: [
    S("same", g.v(3, 4), g.v(3, 4), g.pos(3, 4))], (F32,))
rec("lerp", lambda m, a, b, w: m.lerp(a, b, w),
    lambda g: [S("scalar_w", g.v(3, 4), g.v(3, 4), 0.3),
               S("scalar_w_big", g.v(3, 4), g.v(3, 4), 0.75),
               S("tensor_w", g.v(3, 4), g.v(3, 4), g.unit(3, 4)),
               S("bcast_w", g.v(3, 4), g.v(4), g.unit(3, 1)),
               S("neg_w", g.v(3, 4), g.v(3, 4), -0.4)], FLOAT_H)
rec("lerp.int", lambda m, a, b: m.lerp(a, b, 0.5),
    lambda g: [S("ints", g.v(3), g.v(3), raises=True)], (I64,), grad=False)
rec("lerp.mixed", lambda m, a, b: m.lerp(a, b, 0.5),
    lambda g: [S("f32_f64", g.v(3), In(g.v(3), F64), raises=True)], (F32,), grad=False)
rec("lerp.inplace", lambda m, a, b: a.clone().lerp_(b, 0.5), lambda g: [
    S("same", g.v(3, 4), g.v(3, 4))], FLOAT)
rec("atan2", lambda m, a, b: m.atan2(a, b), binary(scalar=None), NUM)
rec("atan2.origin", lambda m, a, b: m.atan2(a, b),
    lambda g: [S("zeros", np.array([0.0, 1.0, 0.0, -0.0]), np.array([0.0, 0.0, -1.0, 0.0]))],
    (F64,))
rec("arctan2", lambda m, a, b: m.arctan2(a, b), binary(special=False, scalar=None), (F32,))
rec("arctan2.method", lambda m, a, b: a.arctan2(b), binary(special=False, rscalar=False,
                                                           scalar=None), (F32,),
    covers=("arctan2",))
rec("atan2.inplace", lambda m, a, b: a.clone().atan2_(b), lambda g: [
    S("same", g.v(3, 4), g.v(3, 4))], FLOAT)
rec("arctan2.inplace", lambda m, a, b: a.clone().arctan2_(b), lambda g: [
    S("same", g.v(3, 4), g.v(3, 4))], FLOAT, covers=("arctan2_",))
rec("hypot", lambda m, a, b: m.hypot(a, b), binary(rscalar=False, scalar=None), FLOAT_H)
rec("hypot.zero", lambda m, a, b: m.hypot(a, b),
    lambda g: [S("zeros", np.array([0.0, 3.0]), np.array([0.0, 4.0]))], (F64,))
rec("hypot.int", lambda m, a, b: m.hypot(a, b),
    lambda g: [S("ints", g.v(3), g.v(3), raises=True)], (I64,), grad=False)
rec("sgn", lambda m, a: m.sgn(a), unary(), NUM_B)
rec("sgn.complex", lambda m, a: m.sgn(a),
    lambda g: [S("c", g.v(3, 4)), S("zero", np.array([0j, 1 + 1j, -2j]))], (C64, C128),
    grad=False)
rec("signbit", lambda m, a: m.signbit(a), unary(), NUM_B, grad=False)
rec("logit", lambda m, a: m.logit(a), unary("unit"), NUM)
rec("logit.outside", lambda m, a: m.logit(a),
    lambda g: [S("edges", np.array([-0.5, 0.0, 0.2, 1.0, 1.5, NAN]))], (F64, F32))
rec("logit.eps", lambda m, a: m.logit(a, eps=0.25),
    lambda g: [S("edges", np.array([-0.5, 0.0, 0.2, 0.25, 0.5, 0.75, 1.0, 1.5])),
               S("mat", g.unit(3, 4))], FLOAT)
rec("logit.method", lambda m, a: a.logit(1e-3), unary("unit", special=False), (F32,))
rec("digamma", lambda m, a: m.digamma(a), unary("pos"), NUM, tol={F32: (1e-5, 1e-5)})
rec("digamma.special", lambda m, a: m.digamma(a),
    lambda g: [S("poles", np.array([0.0, -0.0, -1.0, -2.5, 1.0, 0.5]))], FLOAT,
    tol={F32: (1e-5, 1e-5)})
rec("lgamma", lambda m, a: m.lgamma(a), unary("v"), NUM, tol={F32: (1e-5, 1e-5)})
rec("polygamma", lambda m, a: m.polygamma(1, a), unary("pos"), NUM,
    tol={F32: (1e-5, 1e-5)})
rec("polygamma.n", lambda m, a: [m.polygamma(n, a) for n in (0, 2, 3)],
    lambda g: [S("mat", g.pos(3, 4)), S("neg", np.array([-1.5, -0.5, 2.5]))], FLOAT,
    tol={F32: (1e-4, 1e-5), F64: (1e-9, 1e-9)}, covers=("polygamma",))
rec("polygamma.method", lambda m, a: a.polygamma(2), unary("pos"), (F64,),
    covers=("polygamma",))
rec("polygamma.inplace", lambda m, a: a.clone().polygamma_(1), unary("pos"), (F64,),
    covers=("polygamma", "polygamma_"))
rec("i0", lambda m, a: m.i0(a), unary("v"), NUM, tol={F32: (1e-5, 1e-5)})
rec("nan_to_num", lambda m, a: m.nan_to_num(a), unary(), (F32, F64, F16, BF16, I64, B))
rec("nan_to_num.args", lambda m, a: m.nan_to_num(a, nan=1.0, posinf=9.0, neginf=-9.0),
    unary(), FLOAT)
rec("nan_to_num.inplace", lambda m, a: a.clone().nan_to_num_(2.0), unary(), FLOAT)
rec("fmax", lambda m, a, b: m.fmax(a, b), binary("ties", scalar=None), NUM)
rec("fmax.nan", lambda m, a, b: m.fmax(a, b),
    lambda g: [S("nan", np.array([1.0, NAN, 2.0, 1.0, NAN]), np.array([1.0, 2.0, NAN, 3.0,
                                                                        NAN]))], FLOAT)
rec("fmin", lambda m, a, b: m.fmin(a, b), binary("ties", scalar=None), NUM)
rec("fmin.nan", lambda m, a, b: m.fmin(a, b),
    lambda g: [S("nan", np.array([1.0, NAN, 2.0, 1.0, NAN]), np.array([1.0, 2.0, NAN, 3.0,
                                                                        NAN]))], FLOAT)
rec("copysign", lambda m, a, b: m.copysign(a, b), binary(scalar=-1.0, int_scalar=-1), NUM)
rec("copysign.zero", lambda m, a, b: m.copysign(a, b),
    lambda g: [S("zeros", np.array([0.0, -0.0, 2.0, -3.0]), np.array([-1.0, 1.0, -0.0, 0.0]))],
    (F64,))
rec("heaviside", lambda m, a, b: m.heaviside(a, b),
    lambda g: [S("same", g.ties(3, 4) - 1, g.v(3, 4)), S("bcast", g.ties(3, 4) - 1, g.v(1)),
               S("special", g.special(), g.v(10))] if g.is_float else
    [S("same", g.ties(3, 4) - 1, g.v(3, 4))], (F32, F64, I64), grad=False)
rec("heaviside.mixed", lambda m, a, b: m.heaviside(a, b),
    lambda g: [S("f_d", g.v(3), In(g.v(3), F64), raises=True)], (F32,), grad=False)
rec("xlogy", lambda m, a, b: m.xlogy(a, b), binary(domain2="pos", rscalar=True), NUM)
rec("xlogy.zeros", lambda m, a, b: m.xlogy(a, b),
    lambda g: [S("zeros", np.array([0.0, 0.0, 1.0, 2.0, 0.0, 0.0]),
                 np.array([0.0, -1.0, 0.0, 3.0, NAN, 2.0]))], (F64,))
rec("xlogy.scalar_self", lambda m, b: m.xlogy(2.0, b), unary("pos"), FLOAT,
    covers=("xlogy",))
rec("real", lambda m, a: m.real(a), unary(), (F32, I64), covers=("real",))
rec("real.complex", lambda m, a: (m.real(a), a.real, m.imag(a), a.imag),
    lambda g: [S("c", g.v(3, 4)), S("0d", np.asarray(g.v()))], (C64, C128), grad=False,
    covers=("real", "imag"))
rec("imag.real_input", lambda m, a: m.imag(a), lambda g: [S("r", g.v(3), raises=True)],
    (F32,), grad=False, covers=("imag",))
rec("angle", lambda m, a: m.angle(a), unary(), NUM_B)
rec("angle.complex", lambda m, a: m.angle(a), lambda g: [S("c", g.v(3, 4))], (C64, C128),
    grad=False)
rec("conj", lambda m, a: m.conj(a), unary(), (F32, I64))
rec("conj.complex", lambda m, a: (m.conj(a).resolve_conj(), m.conj_physical(a), a.conj()
                                  .resolve_conj(), m.is_conj(m.conj_physical(a))),
    lambda g: [S("c", g.v(3, 4))], (C64, C128), grad=False,
    covers=("conj", "conj_physical", "resolve_conj", "is_conj"))
rec("resolve_neg", lambda m, a: (m.resolve_neg(a), m.is_neg(a)), unary(), (F32,),
    covers=("resolve_neg", "is_neg"))
rec("positive", lambda m, a: m.positive(a), unary(), (F32, I64))
rec("positive.bool", lambda m, a: m.positive(a), lambda g: [S("b", g.v(3), raises=True)],
    (B,), grad=False)
rec("float_power", lambda m, a, b: m.float_power(a, b),
    binary("pos", special=False, scalar=2.0, int_scalar=2, rscalar=True), NUM)
rec("float_power.method", lambda m, a: a.float_power(3), unary("pos"), (F32, I64))
rec("float_power.inplace", lambda m, a: a.clone().float_power_(2), unary("pos"), (F64,),
    covers=("float_power", "float_power_"))
rec("logaddexp", lambda m, a, b: m.logaddexp(a, b), binary(scalar=None), FLOAT)
rec("logaddexp.inf", lambda m, a, b: m.logaddexp(a, b),
    lambda g: [S("inf", np.array([INF, -INF, 1.0, INF]), np.array([INF, -INF, 1.0, 1.0]))],
    (F64,))
rec("logaddexp2", lambda m, a, b: m.logaddexp2(a, b), binary(scalar=None), FLOAT)
rec("logaddexp.int", lambda m, a, b: m.logaddexp(a, b),
    lambda g: [S("ints", g.v(3), g.v(3), raises=True)], (I64,), grad=False)
rec("deg2rad", lambda m, a: m.deg2rad(a), unary(), NUM)
rec("rad2deg", lambda m, a: m.rad2deg(a), unary(), NUM_B)
rec("sinc", lambda m, a: m.sinc(a), unary(), NUM)
rec("sinc.zero", lambda m, a: m.sinc(a), lambda g: [S("z", np.array([0.0, 0.5, 1.0, -2.0]))],
    (F64,))
for _a, _t in [("arcsin", "asin"), ("arccos", "acos"), ("arctan", "atan"), ("arcsinh", "asinh"),
               ("arctanh", "atanh"), ("arccosh", "acosh")]:
    rec(_a, (lambda a: lambda m, x: (getattr(m, a)(x), getattr(x, a)(),
                                     getattr(x.clone(), a + "_")()))(_a),
        unary("pos" if _a == "arccosh" else "unit", special=False), FLOAT)
rec("absolute", lambda m, a: (m.absolute(a), a.absolute()), unary(), (F32, I64))
rec("negative", lambda m, a: (m.negative(a), a.negative()), unary(), (F32, I64))
rec("multiply", lambda m, a, b: (m.multiply(a, b), a.multiply(b)),
    binary(rscalar=False, scalar=None), (F32, I64))
rec("subtract", lambda m, a, b: m.subtract(a, b, alpha=2), binary(rscalar=False, scalar=None),
    (F32, I64))
rec("divide", lambda m, a, b: (m.divide(a, b), m.divide(a, b, rounding_mode="floor")),
    binary(domain2="pos", rscalar=False, scalar=None, special=False), (F32, I64))
rec("fix", lambda m, a: (m.fix(a), a.fix()), unary(), (F32,))
