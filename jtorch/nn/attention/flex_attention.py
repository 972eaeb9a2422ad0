"""torch.nn.attention.flex_attention: the names library code imports (BlockMask for isinstance
checks and annotations, the mask combinators). Building a block mask and running
flex_attention (a block-sparse kernel torch generates by compiling) are not implemented:
they raise, naming the missing feature; SDPA with dense masks is the supported path."""
from typing import Any, NamedTuple

import jtorch

_DEFAULT_SPARSE_BLOCK_SIZE = 128


class AuxRequest(NamedTuple):
    """Which auxiliary outputs flex_attention should return."""
    lse: bool = False
    max_scores: bool = False


class AuxOutput(NamedTuple):
    """flex_attention's auxiliary outputs (None where not requested)."""
    lse: Any = None
    max_scores: Any = None


class BlockMask:
    """A block-sparse attention mask (torch's flex_attention input)."""

    def __init__(self, *args, **kwargs):
        raise NotImplementedError("jtorch does not implement flex_attention's BlockMask yet")


def _missing(name):
    raise NotImplementedError(f"jtorch does not implement torch.nn.attention.flex_attention."
                              f"{name} yet; use scaled_dot_product_attention with a dense mask")


def create_block_mask(mask_mod, B, H, Q_LEN, KV_LEN, device=None, BLOCK_SIZE=128, _compile=False,
                      **kwargs):
    _missing("create_block_mask")


def create_mask(mod_fn, B, H, Q_LEN, KV_LEN, device=None):
    _missing("create_mask")


def flex_attention(query, key, value, score_mod=None, block_mask=None, scale=None,
                   enable_gqa=False, return_lse=False, kernel_options=None, **kwargs):
    _missing("flex_attention")


def noop_mask(batch, head, token_q, token_kv):
    """The mask_mod that keeps every position."""
    return batch.new_ones(size=(), dtype=jtorch.bool)


def and_masks(*mask_mods):
    """A mask_mod true where every one of ``mask_mods`` is."""
    def mask(b, h, q, kv):
        out = None
        for m in mask_mods:
            r = m(b, h, q, kv)
            out = r if out is None else out & r
        return out if out is not None else b.new_ones(size=(), dtype=jtorch.bool)
    return mask


def or_masks(*mask_mods):
    """A mask_mod true where any one of ``mask_mods`` is."""
    def mask(b, h, q, kv):
        out = None
        for m in mask_mods:
            r = m(b, h, q, kv)
            out = r if out is None else out | r
        return out if out is not None else b.new_zeros(size=(), dtype=jtorch.bool)
    return mask
