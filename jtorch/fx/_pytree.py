"""torch.fx._pytree: flatten specs for the FX tracer; registrations are accepted and kept."""
SUPPORTED_NODES = {}


def register_pytree_flatten_spec(cls, flatten_fn_spec, flatten_fn_exact_match_spec=None):
    SUPPORTED_NODES[cls] = flatten_fn_spec
