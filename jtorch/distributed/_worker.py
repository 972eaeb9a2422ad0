"""One launcher worker: ``python <this file> script.py args`` (run by path, so the jtorch
package is not imported before JAX's distributed runtime starts, see ``_bootstrap``)."""
import importlib
import os
import runpy
import sys
import traceback


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    package_root = os.path.dirname(os.path.dirname(here))
    script = sys.argv[1]
    sys.path[0] = os.path.dirname(os.path.abspath(script))    # the script's dir, as python does
    if package_root not in sys.path:
        sys.path.append(package_root)
    sys.path.insert(0, here)
    import _bootstrap                                         # jax only, no jtorch yet
    sys.path.pop(0)
    del sys.modules["_bootstrap"]
    _bootstrap.start_from_env()
    # only now may jtorch be imported (it creates JAX's backends): an import by name at run
    # time, since this file runs as a script outside the package
    importlib.import_module("jtorch._import_hook").install()
    _bootstrap.keep_arrays_local()
    sys.argv = sys.argv[1:]
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        if e.code not in (None, 0):
            _die(e.code if isinstance(e.code, int) else 1, str(e.code))
        raise
    except BaseException:
        traceback.print_exc()
        _die(1)
    faults = sys.modules.get("jtorch.distributed._faults")
    if faults is not None and faults.broken():
        _die(0)     # a collective failed: its abandoned call would hold up a normal exit


def _die(code, message=None):
    """Exit at once: a normal exit would wait in JAX's shutdown barrier for the other ranks,
    which may be blocked in a collective with this one, so the launcher would never learn."""
    if message and code == 1:
        print(message, file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
