# The user's interface: `make run` and `make test` (see README.md).
SHELL := /bin/bash
JOBS ?= 2
BUILD_TYPE ?= Release
# Let ccache share results between checkouts in different folders (CI clones elsewhere).
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true

.PHONY: run test deps build build-all build-asan db db-stop test-release test-asan clean

run: deps build
	@if ./scripts/pg.sh status >/dev/null 2>&1; then started=0; else started=1; fi; \
	./scripts/pg.sh start && exec ./scripts/run.sh $$started

test: deps
	@if ./scripts/pg.sh status >/dev/null 2>&1; then started=0; else started=1; fi; \
	./scripts/pg.sh start || exit 1; \
	$(MAKE) --no-print-directory test-release test-asan; rc=$$?; \
	if [ $$started = 1 ]; then ./scripts/pg.sh stop; fi; \
	exit $$rc

deps:
	@./scripts/install-deps.sh

build:
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	@cmake --build build/release -j $(JOBS) --target hubsyncd hubspot-emulator

build-all:
	@cmake -S . -B build/release -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null
	@cmake --build build/release -j $(JOBS)

build-asan:
	@cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=Debug -DHUBSYNC_SANITIZE=ON >/dev/null
	@cmake --build build/asan -j $(JOBS)

test-release: build-all
	@set -a; . .data/env; . .data/urls; set +a; \
	ctest --test-dir build/release --output-on-failure -j $(JOBS)

test-asan: build-asan
	@set -a; . .data/env; . .data/urls; set +a; \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	ctest --test-dir build/asan --output-on-failure -j $(JOBS)

db:
	@./scripts/pg.sh start

db-stop:
	@./scripts/pg.sh stop

clean:
	rm -rf build
