# Two entry points (see README): `make demo` (main job) and `make test` (whole suite).
# Each creates or refreshes its own virtual environment from pyproject.toml.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-other-cpu venv clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# The examples (plain torch scripts) run on jtorch, then the seed tutorials replayed on jtorch
# and compared with torch's recorded output (the compat report).
EXAMPLES := quickstart gradient_descent sine_regression cnn_classifier compiled_training
# torchvision + TensorBoard examples: their generated data and logs go to a scratch folder
VISION_EXAMPLES := cifar10_tutorial transfer_learning
demo: $(STAMP)
	@for e in $(EXAMPLES); do echo "== examples/$$e.py (on jtorch)"; \
	  $(PY) -m jtorch run examples/$$e.py || exit 1; done
	@d=$$(mktemp -d); for e in $(VISION_EXAMPLES); do echo "== examples/$$e.py (on jtorch, files in $$d)"; \
	  (cd $$d && $(abspath $(PY)) -m jtorch run $(CURDIR)/examples/$$e.py --epochs 1) || exit 1; done; rm -rf $$d
	$(PY) -m compat_tests.report
	$(PY) -m compat_tests.clients --summary   # transformers/timm models on jtorch vs torch

# Unit tests (tests/) and the compat suite (compat_tests/), two workers.
test: $(STAMP)
	$(PY) -m pytest -q -n 2 -p no:cacheprovider

# The suite as on an older x86-64 CPU (AVX, no AVX2/FMA): torch's DEFAULT kernels and XLA's
# AVX code. Tests must hold on any CPU torch supports; this finds last-bit assumptions that
# this machine's ISA hides. (XLA's SSE4.2 level cannot compile float16 conversions: not used.)
test-other-cpu: $(STAMP)
	ATEN_CPU_CAPABILITY=default XLA_FLAGS=--xla_cpu_max_isa=AVX $(PY) -m pytest -q -n 2 -p no:cacheprovider

clean:
	rm -rf $(VENV) compat_report.md
