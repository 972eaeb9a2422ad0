"""``python -m jtorch run script.py [args]``: run an unmodified torch script on jtorch."""
import runpy
import sys

from ._import_hook import install


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) < 2 or argv[0] != "run":
        print("usage: python -m jtorch run script.py [args ...]", file=sys.stderr)
        return 2
    script = argv[1]
    install()
    sys.argv = argv[1:]
    sys.path.insert(0, __import__("os").path.dirname(__import__("os").path.abspath(script)))
    runpy.run_path(script, run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main())
