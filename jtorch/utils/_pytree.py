"""torch.utils._pytree: nested containers flattened to leaves and a TreeSpec, and back.

Library code registers its own container types here (Hugging Face's ModelOutput and caches
do at import), and maps functions over nested outputs. Like torch (unlike JAX), ``None`` is
a leaf. Registered: tuple, list, dict, OrderedDict, defaultdict, deque, namedtuples.
"""
import collections
import dataclasses
from typing import Any, NamedTuple

Context = Any
PyTree = Any


class _Node(NamedTuple):
    flatten_fn: Any
    unflatten_fn: Any
    flatten_with_keys_fn: Any


SUPPORTED_NODES = {}


@dataclasses.dataclass(frozen=True)
class SequenceKey:
    idx: int

    def __str__(self):
        return f"[{self.idx!r}]"

    def get(self, seq):
        return seq[self.idx]


@dataclasses.dataclass(frozen=True)
class MappingKey:
    key: Any

    def __str__(self):
        return f"[{self.key!r}]"

    def get(self, mapping):
        return mapping[self.key]


@dataclasses.dataclass(frozen=True)
class GetAttrKey:
    name: str

    def __str__(self):
        return f".{self.name}"

    def get(self, obj):
        return getattr(obj, self.name)


def register_pytree_node(cls, flatten_fn, unflatten_fn, *, serialized_type_name=None,
                         to_dumpable_context=None, from_dumpable_context=None,
                         flatten_with_keys_fn=None):
    if cls in SUPPORTED_NODES:
        raise ValueError(f"{cls} is already registered as pytree node.")
    SUPPORTED_NODES[cls] = _Node(flatten_fn, unflatten_fn, flatten_with_keys_fn)


_register_pytree_node = _private_register_pytree_node = register_pytree_node


def _deregister_pytree_node(cls):
    SUPPORTED_NODES.pop(cls, None)


# ---------------------------------------------------------------- the builtin containers
def _tuple_flatten(d):
    return list(d), None


def _tuple_flatten_with_keys(d):
    values, context = _tuple_flatten(d)
    return [(SequenceKey(i), v) for i, v in enumerate(values)], context


def _tuple_unflatten(values, context):
    return tuple(values)


def _list_flatten(d):
    return list(d), None


def _list_flatten_with_keys(d):
    values, context = _list_flatten(d)
    return [(SequenceKey(i), v) for i, v in enumerate(values)], context


def _list_unflatten(values, context):
    return list(values)


def _dict_flatten(d):
    return list(d.values()), list(d.keys())


def _dict_flatten_with_keys(d):
    values, context = _dict_flatten(d)
    return [(MappingKey(k), v) for k, v in zip(context, values)], context


def _dict_unflatten(values, context):
    return dict(zip(context, values))


def _ordereddict_unflatten(values, context):
    return collections.OrderedDict(zip(context, values))


def _defaultdict_flatten(d):
    values, keys = _dict_flatten(d)
    return values, [d.default_factory, keys]


def _defaultdict_flatten_with_keys(d):
    values, context = _defaultdict_flatten(d)
    return [(MappingKey(k), v) for k, v in zip(context[1], values)], context


def _defaultdict_unflatten(values, context):
    factory, keys = context
    return collections.defaultdict(factory, zip(keys, values))


def _deque_flatten(d):
    return list(d), d.maxlen


def _deque_unflatten(values, context):
    return collections.deque(values, maxlen=context)


def _namedtuple_flatten(d):
    return list(d), type(d)


def _namedtuple_flatten_with_keys(d):
    values, context = _namedtuple_flatten(d)
    return [(GetAttrKey(f), v) for f, v in zip(context._fields, values)], context


def _namedtuple_unflatten(values, context):
    return context(*values)


register_pytree_node(tuple, _tuple_flatten, _tuple_unflatten,
                     flatten_with_keys_fn=_tuple_flatten_with_keys)
register_pytree_node(list, _list_flatten, _list_unflatten,
                     flatten_with_keys_fn=_list_flatten_with_keys)
register_pytree_node(dict, _dict_flatten, _dict_unflatten,
                     flatten_with_keys_fn=_dict_flatten_with_keys)
register_pytree_node(collections.OrderedDict, _dict_flatten, _ordereddict_unflatten,
                     flatten_with_keys_fn=_dict_flatten_with_keys)
register_pytree_node(collections.defaultdict, _defaultdict_flatten, _defaultdict_unflatten,
                     flatten_with_keys_fn=_defaultdict_flatten_with_keys)
register_pytree_node(collections.deque, _deque_flatten, _deque_unflatten,
                     flatten_with_keys_fn=_list_flatten_with_keys)


def is_namedtuple_class(cls):
    return (isinstance(cls, type) and issubclass(cls, tuple)
            and isinstance(getattr(cls, "_fields", None), tuple)
            and callable(getattr(cls, "_make", None)))


def is_namedtuple_instance(obj):
    return is_namedtuple_class(type(obj))


is_namedtuple = is_namedtuple_instance


def _node_of(tree):
    """The registration handling ``tree``'s type (namedtuples by their shape), or None."""
    node = SUPPORTED_NODES.get(type(tree))
    if node is None and is_namedtuple_instance(tree):
        node = _Node(_namedtuple_flatten, _namedtuple_unflatten, _namedtuple_flatten_with_keys)
    return node


def _get_node_type(tree):
    return "namedtuple" if type(tree) not in SUPPORTED_NODES and is_namedtuple_instance(tree) \
        else type(tree)


def _is_leaf(tree, is_leaf=None):
    return (is_leaf is not None and is_leaf(tree)) or _node_of(tree) is None


tree_is_leaf = _is_leaf


# ---------------------------------------------------------------- TreeSpec
class TreeSpec:
    """The structure of a flattened tree: node type, its context, the children's specs."""

    def __init__(self, type, context, children_specs):
        self.type = type
        self.context = context
        self.children_specs = list(children_specs)
        self.num_children = len(self.children_specs)
        self.num_leaves = sum(c.num_leaves for c in self.children_specs)
        self.num_nodes = 1 + sum(c.num_nodes for c in self.children_specs)

    def is_leaf(self):
        return self.type is None

    def children(self):
        return list(self.children_specs)

    def child(self, index):
        return self.children_specs[index]

    def __eq__(self, other):
        return (isinstance(other, TreeSpec) and self.type == other.type
                and self.context == other.context and self.children_specs == other.children_specs)

    def __hash__(self):
        return hash((self.type, repr(self.context), tuple(self.children_specs)))

    def __repr__(self):
        if self.is_leaf():
            return "*"
        name = "namedtuple" if self.type == "namedtuple" else self.type.__name__
        kids = ", ".join(repr(c) for c in self.children_specs)
        return f"TreeSpec({name}, {self.context}, [{kids}])"

    def flatten_up_to(self, tree):
        return _flatten_up_to(self, tree)

    def unflatten(self, leaves):
        return tree_unflatten(leaves, self)


class LeafSpec(TreeSpec):
    def __init__(self):
        super().__init__(None, None, [])
        self.num_leaves = 1

    def __repr__(self):
        return "*"


_LEAF_SPEC = LeafSpec()


def treespec_leaf():
    return LeafSpec()


def tree_flatten(tree, is_leaf=None):
    """``(leaves, spec)``: the leaves in order (depth first) and the structure."""
    leaves = []
    return leaves, _flatten_into(tree, leaves, is_leaf)


def _flatten_into(tree, leaves, is_leaf):
    if _is_leaf(tree, is_leaf):
        leaves.append(tree)
        return LeafSpec()
    node = _node_of(tree)
    children, context = node.flatten_fn(tree)
    specs = [_flatten_into(c, leaves, is_leaf) for c in children]
    return TreeSpec(_get_node_type(tree), context, specs)


def _unflatten_node(spec, children):
    if spec.type == "namedtuple":
        return _namedtuple_unflatten(children, spec.context)
    return SUPPORTED_NODES[spec.type].unflatten_fn(children, spec.context)


def tree_unflatten(leaves, treespec):
    if not isinstance(treespec, TreeSpec):
        raise TypeError(f"tree_unflatten(leaves, treespec): Expected `treespec` to be instance "
                        f"of TreeSpec but got item of type {type(treespec)}.")
    leaves = list(leaves)
    if len(leaves) != treespec.num_leaves:
        raise ValueError(f"treespec.unflatten(leaves): `leaves` has length {len(leaves)} but the "
                         f"spec refers to a pytree that holds {treespec.num_leaves} items "
                         f"({treespec}).")
    it = iter(leaves)

    def build(spec):
        if spec.is_leaf():
            return next(it)
        return _unflatten_node(spec, [build(c) for c in spec.children_specs])
    return build(treespec)


def _flatten_up_to(spec, tree):
    if spec.is_leaf():
        return [tree]
    children, _ = _node_of(tree).flatten_fn(tree)
    return [x for c, s in zip(children, spec.children_specs) for x in _flatten_up_to(s, c)]


def tree_leaves(tree, is_leaf=None):
    return tree_flatten(tree, is_leaf)[0]


def tree_iter(tree, is_leaf=None):
    return iter(tree_leaves(tree, is_leaf))


def tree_structure(tree, is_leaf=None):
    return tree_flatten(tree, is_leaf)[1]


def tree_map(func, tree, *rests, is_leaf=None):
    leaves, spec = tree_flatten(tree, is_leaf)
    others = [spec.flatten_up_to(r) for r in rests]
    return tree_unflatten([func(*xs) for xs in zip(leaves, *others)], spec)


def tree_map_(func, tree, *rests, is_leaf=None):
    leaves, spec = tree_flatten(tree, is_leaf)
    others = [spec.flatten_up_to(r) for r in rests]
    for xs in zip(leaves, *others):
        func(*xs)
    return tree


def map_only(type_or_types):
    def wrap(func):
        def inner(x):
            return func(x) if isinstance(x, type_or_types) else x
        return inner
    return wrap


def tree_map_only(type_or_types, func, tree, is_leaf=None):
    return tree_map(map_only(type_or_types)(func), tree, is_leaf=is_leaf)


def tree_map_only_(type_or_types, func, tree, is_leaf=None):
    return tree_map_(map_only(type_or_types)(func), tree, is_leaf=is_leaf)


def tree_all(pred, tree, is_leaf=None):
    return all(map(pred, tree_leaves(tree, is_leaf)))


def tree_any(pred, tree, is_leaf=None):
    return any(map(pred, tree_leaves(tree, is_leaf)))


def tree_flatten_with_path(tree, is_leaf=None):
    """``([(key_path, leaf), ...], spec)``: each leaf with the keys leading to it."""
    out = []

    def walk(node, path):
        if _is_leaf(node, is_leaf):
            out.append((path, node))
            return
        reg = _node_of(node)
        if reg.flatten_with_keys_fn is None:
            raise ValueError(f"Did not find a flatten_with_keys_fn for type: {type(node)}. "
                             "Please pass a flatten_with_keys_fn argument to "
                             "register_pytree_node.")
        for key, child in reg.flatten_with_keys_fn(node)[0]:
            walk(child, path + (key,))
    walk(tree, ())
    return out, tree_structure(tree, is_leaf)


def tree_leaves_with_path(tree, is_leaf=None):
    return tree_flatten_with_path(tree, is_leaf)[0]


def tree_map_with_path(func, tree, *rests, is_leaf=None):
    pairs, spec = tree_flatten_with_path(tree, is_leaf)
    others = [spec.flatten_up_to(r) for r in rests]
    return tree_unflatten([func(p, x, *xs) for (p, x), *xs in zip(pairs, *others)], spec)


def keystr(kp):
    return "".join(str(k) for k in kp)


def key_get(obj, kp):
    for k in kp:
        obj = k.get(obj)
    return obj
