"""torch.hub's checkpoint cache: where downloaded weights live, fetching a URL into it, and
loading a cached checkpoint with ``torch.load``. (Loading hub *repositories* of model code,
``torch.hub.load``, is not provided.)"""
import hashlib
import os
import re
import shutil
import tempfile
import urllib.request
from urllib.parse import urlparse  # noqa: F401  (torch.hub re-exports it)

from .serialization import load

HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")
_hub_dir = None


def _get_torch_home():
    cache = os.getenv("XDG_CACHE_HOME", os.path.join("~", ".cache"))
    return os.path.expanduser(os.getenv("TORCH_HOME", os.path.join(cache, "torch")))


def get_dir():
    """$TORCH_HUB, a set_dir() choice, else $TORCH_HOME/hub (torch's precedence)."""
    if os.getenv("TORCH_HUB"):
        return os.getenv("TORCH_HUB")
    return _hub_dir if _hub_dir is not None else os.path.join(_get_torch_home(), "hub")


def set_dir(d):
    global _hub_dir
    _hub_dir = os.path.expanduser(d)


def download_url_to_file(url, dst, hash_prefix=None, progress=True):
    """Fetch ``url`` to ``dst`` through a temporary file; check the SHA-256 prefix if given."""
    dst = os.path.expanduser(dst)
    tmp = tempfile.NamedTemporaryFile(delete=False, dir=os.path.dirname(dst) or ".")
    try:
        digest = hashlib.sha256()
        request = urllib.request.Request(url, headers={"User-Agent": "torch.hub"})
        with urllib.request.urlopen(request) as r:
            while chunk := r.read(1 << 16):
                tmp.write(chunk)
                digest.update(chunk)
        tmp.close()
        if hash_prefix is not None and not digest.hexdigest().startswith(hash_prefix):
            raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got '
                               f'"{digest.hexdigest()}")')
        shutil.move(tmp.name, dst)
    finally:
        tmp.close()
        if os.path.exists(tmp.name):
            os.remove(tmp.name)


def load_state_dict_from_url(url, model_dir=None, map_location=None, progress=True,
                             check_hash=False, file_name=None, weights_only=False):
    """The checkpoint at ``url``, from the cache (``get_dir()/checkpoints``) or downloaded."""
    model_dir = model_dir or os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name or os.path.basename(urlparse(url).path)
    cached = os.path.join(model_dir, filename)
    if not os.path.exists(cached):
        match = HASH_REGEX.search(filename) if check_hash else None
        download_url_to_file(url, cached, match.group(1) if match else None, progress)
    return load(cached, map_location=map_location, weights_only=weights_only)
