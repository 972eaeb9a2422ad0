"""torch.save / torch.load in torch's own file format, both ways between torch and jtorch.

Modules: ``_zip`` (the aligned, uncompressed archive), ``_pickling`` (torch's global names
for jtorch objects and back), ``_rebuild`` (torch's ``_rebuild_*`` functions and storage
types), ``_save`` / ``_load`` / ``_legacy`` (the formats), ``_weights_only`` (the safe
unpickler behind the ``weights_only=True`` default).
"""
from ._save import save
from ._load import load, register_package, get_unsafe_globals_in_checkpoint, \
    default_restore_location
from ._weights_only import add_safe_globals, get_safe_globals, clear_safe_globals, \
    safe_globals, UNSAFE_MESSAGE
from ._legacy import MAGIC_NUMBER, PROTOCOL_VERSION

DEFAULT_PROTOCOL = 2

__all__ = ["save", "load", "register_package", "get_unsafe_globals_in_checkpoint",
           "add_safe_globals", "get_safe_globals", "clear_safe_globals", "safe_globals",
           "default_restore_location", "DEFAULT_PROTOCOL", "MAGIC_NUMBER", "PROTOCOL_VERSION",
           "UNSAFE_MESSAGE"]
