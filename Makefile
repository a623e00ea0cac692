# The README's commands. `make run` and `make test` do all set-up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= $(shell nproc)
CONFIG ?= config/rawfeed.toml
DOMAIN ?= customer-data

.PHONY: all deps build run demo test bench bench-aws fuzz clean format

all: build

deps:
	./scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

# The sample domain end to end on embedded defaults, against live Yahoo Finance.
run: build
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
	clang-format -i -style=file $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD)
