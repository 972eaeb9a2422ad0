"""torch._dynamo._trace_wrapped_higher_order_op: the names library code imports from it.

``TransformGetItemToIndex`` is, in torch, a function mode that keeps ``A[idx]`` with a 0-dim
tensor index a tensor index (no ``.item()``) inside ``vmap``. jtorch's indexing by a tensor
never calls ``.item()`` on it, so under jtorch the context manager has nothing to change.
"""


class TransformGetItemToIndex:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False
