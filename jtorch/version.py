"""torch.version: the torch build jtorch reproduces (a CPU build: no CUDA, HIP, ROCm or XPU)."""
__version__ = "2.13.0+cpu"
debug = False
cuda = None
hip = None
rocm = None
xpu = None
git_version = "cf30153c4c131c8164ee7798e5022d810682e2cb"  # torch 2.13.0's commit, as it reports
