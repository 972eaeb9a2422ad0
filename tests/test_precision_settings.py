"""torch's float32 precision settings (issue 21) and the JAX precision each one yields
(``jtorch.backends._precision``, the one place holding the mapping)."""
import jax
import pytest
from jax.extend.core import jaxprs_in_params

import jtorch
from jtorch.backends import _precision

torch = pytest.importorskip("torch")
P = jax.lax.Precision


_MUTABLE = "__allow_nonbracketed_mutation_flag"   # torch.backends' switch for setting flags


@pytest.fixture(autouse=True)
def _restore():
    # torch's own test utilities (imported by the OpInfo tests in the same worker) call
    # torch.backends.disable_global_flags(); these tests set torch's flags directly
    flags = torch.backends.flags_frozen.__globals__      # the module's real namespace
    saved = flags.get(_MUTABLE, True)
    flags[_MUTABLE] = True
    yield
    for T in (jtorch, torch):
        T.set_float32_matmul_precision("highest")
        T.backends.cudnn.allow_tf32 = True
    flags[_MUTABLE] = saved


def _settings(T):
    return (T.get_float32_matmul_precision(), T.backends.cuda.matmul.allow_tf32,
            T.backends.cudnn.allow_tf32, T.backends.cudnn.benchmark,
            T.backends.cudnn.deterministic, T.backends.cudnn.enabled,
            T.are_deterministic_algorithms_enabled())


def test_defaults_as_torch():
    assert _settings(jtorch) == _settings(torch) == \
        ("highest", False, True, False, False, True, False)
    assert _precision.matmul_precision() == P.HIGHEST
    assert _precision.matmul_precision_name() == "float32"
    assert _precision.conv_precision() == P.HIGH     # cuDNN's default allows TF32


@pytest.mark.parametrize("level, jax_precision, name, tf32", [
    ("highest", P.HIGHEST, "float32", False), ("high", P.HIGH, "tensorfloat32", True),
    ("medium", P.DEFAULT, "bfloat16", True)])
def test_matmul_precision_levels(level, jax_precision, name, tf32):
    for T in (jtorch, torch):
        T.set_float32_matmul_precision(level)
        assert T.get_float32_matmul_precision() == level
        assert T.backends.cuda.matmul.allow_tf32 is tf32
    assert _precision.matmul_precision() == jax_precision
    assert _precision.matmul_precision_name() == name
    with jax.default_matmul_precision(name):    # a name JAX accepts
        pass


def test_allow_tf32_switches_the_matmul_precision():
    for T in (jtorch, torch):
        T.backends.cuda.matmul.allow_tf32 = True
        assert T.get_float32_matmul_precision() == "high"
        T.backends.cuda.matmul.allow_tf32 = False
        assert T.get_float32_matmul_precision() == "highest"
    assert _precision.matmul_precision() == P.HIGHEST


def test_cudnn_allow_tf32_switches_the_conv_precision():
    for T in (jtorch, torch):
        T.backends.cudnn.allow_tf32 = False
        assert T.backends.cudnn.allow_tf32 is False
        assert T.get_float32_matmul_precision() == "highest"
    assert _precision.conv_precision() == P.HIGHEST


def test_unknown_precision_warns_and_changes_nothing():
    for T in (jtorch, torch):
        with pytest.warns(UserWarning, match="is not one of 'highest', 'high', or 'medium'"):
            T.set_float32_matmul_precision("bogus")
        assert T.get_float32_matmul_precision() == "highest"


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (compared: type and message)
        return type(e).__name__, str(e)


def test_flags_reject_as_torch():
    for which in ("unknown", "not_bool"):
        got = []
        for T in (jtorch, torch):
            m = T.backends.cuda.matmul
            if which == "unknown":
                got.append(_error(lambda: setattr(m, "foo", 1)))
            else:
                got.append(_error(lambda: setattr(m, "allow_tf32", "x")))
        assert got[0] == got[1]


def test_cudnn_flags_and_determinism_accepted():
    for T in (jtorch, torch):
        T.backends.cudnn.benchmark = True
        T.backends.cudnn.deterministic = True
        T.use_deterministic_algorithms(True)
        try:
            assert (T.backends.cudnn.benchmark, T.backends.cudnn.deterministic,
                    T.are_deterministic_algorithms_enabled()) == (True, True, True)
        finally:
            T.backends.cudnn.benchmark = False
            T.backends.cudnn.deterministic = False
            T.use_deterministic_algorithms(False)
    assert jtorch.backends.cudnn.is_available() is torch.backends.cudnn.is_available()


def _precisions(jaxpr, names=("dot_general", "conv_general_dilated")):
    """(primitive, precision) of every dot and convolution in ``jaxpr``, nested jits too."""
    out = []
    for eqn in jaxpr.eqns:
        if eqn.primitive.name in names:
            out.append((eqn.primitive.name, eqn.params["precision"][0]))
        for sub in jaxprs_in_params(eqn.params):
            out.extend(_precisions(sub, names))
    return out


@pytest.mark.parametrize("level, cudnn_tf32, dot, conv", [
    ("highest", True, P.HIGHEST, P.HIGH), ("high", True, P.HIGH, P.HIGH),
    ("medium", False, P.DEFAULT, P.HIGHEST)])
def test_ops_trace_with_the_settings(level, cudnn_tf32, dot, conv):
    """The precision the ops' dots and convolutions are traced with (what an NVIDIA GPU
    runs them at: TF32 for HIGH), after each setting; the first run of the accelerator check
    found that no op read the setting."""
    import jtorch.nn.functional as F

    def ops(a, w):
        A, W = jtorch.from_jax(a), jtorch.from_jax(w)
        return [t.to_jax() for t in (A @ A.T, F.linear(A, A), torch_bmm(A),
                                     F.conv2d(A[None, None], W))]

    def torch_bmm(A):
        return jtorch.bmm(A[None], A[None])
    jtorch.set_float32_matmul_precision(level)
    jtorch.backends.cudnn.allow_tf32 = cudnn_tf32
    a, w = jax.numpy.ones((4, 4), "float32"), jax.numpy.ones((1, 1, 3, 3), "float32")
    got = _precisions(jax.make_jaxpr(ops)(a, w).jaxpr)
    assert sorted(got) == [("conv_general_dilated", conv)] + [("dot_general", dot)] * 3
