# The two commands of the README: `make demo` and `make test`. Both install missing Debian
# packages first (apt-get as root; otherwise the exact sudo line is printed), then build.

BUILD_DIR ?= build
JOBS ?= $(shell nproc)
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo "-G Ninja")

.PHONY: all deps configure build demo test clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@test -f $(BUILD_DIR)/CMakeCache.txt || cmake -S . -B $(BUILD_DIR) $(GENERATOR) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The demo needs the flinksim executable alone, a fraction of the build `make test` needs (every
# test program, benchmark and library).
demo: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS) --target flinksim
	@scripts/demo.sh $(BUILD_DIR)

# Planted bugs labelled `planted-full` each build a variant of the model for minutes: CI leaves
# them to `ctest -L planted` (docs/property-testing.md, "Planted bugs").
test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -LE planted-full

clean:
	rm -rf $(BUILD_DIR)
