"""torch.distributed.tensor's placements: how a DTensor's dims map onto a device mesh.

jtorch has no DTensor yet (sharding runs through JAX's meshes and ``torch.distributed``'s
collectives); the placement values exist because libraries (Hugging Face transformers)
build them at import. They compare, hash and print as torch's."""


class Placement:
    def is_shard(self, dim=None):
        return False

    def is_replicate(self):
        return False

    def is_partial(self, reduce_op=None):
        return False


class _ByValue:
    """Equality and hash by type and the attributes named in ``_fields`` (torch's
    placements are dataclasses)."""
    _fields = ()

    def __eq__(self, other):
        return type(other) is type(self) and all(
            getattr(other, name) == getattr(self, name) for name in self._fields)

    def __hash__(self):
        return hash((type(self),) + tuple(getattr(self, name) for name in self._fields))


class Shard(_ByValue, Placement):
    _fields = ("dim",)

    def __init__(self, dim):
        self.dim = dim

    def is_shard(self, dim=None):
        return dim is None or dim == self.dim

    def __repr__(self):
        return f"Shard(dim={self.dim})"

    def __str__(self):
        return f"S({self.dim})"


class _StridedShard(Shard):
    _fields = ("dim", "split_factor")

    def __init__(self, dim, *, split_factor=1, sf=None):
        super().__init__(dim)
        self.split_factor = sf if sf is not None else split_factor

    def __repr__(self):
        return f"_StridedShard(dim={self.dim}, sf={self.split_factor})"

    def __str__(self):
        return f"_S({self.dim}, {self.split_factor})"


class Replicate(Placement):
    def is_replicate(self):
        return True

    def __eq__(self, other):
        return type(other) is type(self)

    def __hash__(self):
        return hash(type(self))

    def __repr__(self):
        return "Replicate()"

    def __str__(self):
        return "R"


class Partial(_ByValue, Placement):
    _fields = ("reduce_op",)

    def __init__(self, reduce_op="sum"):
        self.reduce_op = reduce_op

    def is_partial(self, reduce_op=None):
        return reduce_op is None or reduce_op == self.reduce_op

    def __repr__(self):
        return f"Partial({self.reduce_op})"

    def __str__(self):
        return f"P({self.reduce_op})"
