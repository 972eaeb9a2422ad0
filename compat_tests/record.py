"""Record torch's output of every example as golden files:  python -m compat_tests.record"""
import concurrent.futures
import sys

from compat_tests import harness


def main(argv):
    names = argv or harness.examples()
    with concurrent.futures.ThreadPoolExecutor(2) as pool:
        outs = list(pool.map(lambda n: (n, harness.run(n, "torch")), names))
    for name, out in outs:
        p = harness.golden_path(name)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(out)
        print(f"{name}: {len(out.splitlines())} lines" + ("  (raises)" if "!! " in out else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
