# The README's commands. `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
CONFIG ?= config/rawfeed.toml
DOMAIN ?= customer-data

.PHONY: all deps deps-run configure-run build run demo test bench bench-aws fuzz clean format

all: build

# `make run` needs only what builds and runs the binary; everything else (GoogleTest, Chromium,
# clang, Node.js, the S3/SQS test servers) comes with `make test`, `make build` and `.ci/run`.
deps-run:
	./scripts/install-deps.sh run

deps:
	./scripts/install-deps.sh

RELEASE = cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

# A build directory that does not exist yet is configured for the binary alone; one configured
# already (tests included, by `make build`) is used as it is.
configure-run: deps-run
	@test -f $(BUILD)/build.ninja || \
	  $(RELEASE) -DRAWFEED_BUILD_TESTS=OFF -DRAWFEED_BUILD_BENCH=OFF

# Everything: the binary, the tests, the benchmarks (reconfigures a build made by `make run`).
build: deps
	@grep -q '^RAWFEED_BUILD_TESTS:BOOL=ON' $(BUILD)/CMakeCache.txt 2>/dev/null && \
	  grep -q '^RAWFEED_BUILD_BENCH:BOOL=ON' $(BUILD)/CMakeCache.txt && \
	  test -f $(BUILD)/build.ninja || \
	  $(RELEASE) -DRAWFEED_BUILD_TESTS=ON -DRAWFEED_BUILD_BENCH=ON
	cmake --build $(BUILD) -j $(JOBS)

# The sample domain end to end on embedded defaults, against live Yahoo Finance: builds only the
# `rawfeed` target.
run: configure-run
	cmake --build $(BUILD) -j $(JOBS) --target rawfeed
	$(BUILD)/bin/rawfeed run --config $(CONFIG) --domain $(DOMAIN)

# The same pipeline offline: a local replay server with the project's sample responses.
demo: build
	./scripts/demo.sh $(BUILD)

# Starts the S3/SQS test servers on 127.0.0.1, runs every test, stops them.
test: build
	./scripts/run-tests.sh $(BUILD)

bench: build
	./bench/run.sh $(BUILD)

# The same run with the lake on S3 and the queue on SQS (the local test servers); bench/README.md.
bench-aws: build
	./bench/run-aws.sh $(BUILD)

# Every libFuzzer target for FUZZ_SECONDS each, in build-fuzz (clang; README "Fuzzing").
FUZZ_SECONDS ?= 60
fuzz:
	./scripts/run-fuzz.sh build-fuzz $(FUZZ_SECONDS)

format:
	clang-format -i -style=file $$(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h')

clean:
	rm -rf $(BUILD)
