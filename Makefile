# `make run`: set up .venv, install seamline, run the main pipeline on examples/.
# `make test`: the same set-up, then the whole test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# llama-cpp-python (extra lm, needed by the tests) builds from source; a build with native CPU
# flags died with "Illegal instruction" here, so name the instruction sets instead.
CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
export CMAKE_ARGS

.PHONY: run test test-nojit conformance bench clean chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,ray]'
	$(BIN)/python -m pip install --quiet --no-deps -e tests/plugin  # the plugin the registry tests use
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/seamline segment --by sentence examples/harbour.txt examples/policy.md examples/notes.jsonl \
	  | $(BIN)/seamline chunk --max-tokens 64

# The page tests of `seamline view` drive Debian's headless Chromium: install it when it is
# missing and apt-get may run (CI runs as root); otherwise say so, and those tests skip.
chromium:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
	  || echo "make: chromium is not installed and apt-get cannot run here; the page tests will skip"

# The suite runs on every core (pytest-xdist); tests that start a local Ray share one worker.
TEST_WORKERS ?= auto
test: $(STAMP) chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup --no-loadscope-reorder
	$(MAKE) --no-print-directory test-nojit

# The Numba kernels against their plain-Python references once more, with the
# JIT off, so a kernel that only works compiled (or only interpreted) fails.
test-nojit: $(STAMP)
	NUMBA_DISABLE_JIT=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) -m kernels || [ $$? -eq 5 ]

conformance: $(STAMP)
	$(BIN)/python ../shared/conformance/check --cli $(BIN)/seamline

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/pipeline.py
	$(BIN)/python benchmarks/eval.py
	$(BIN)/python benchmarks/legal.py
	$(BIN)/python benchmarks/topics.py --choi-docs 100
	$(BIN)/python benchmarks/sentences.py
	$(BIN)/python benchmarks/chunking.py --repeat 2
	$(BIN)/python benchmarks/formats.py --repeat 2
	$(BIN)/python benchmarks/retrieval.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
