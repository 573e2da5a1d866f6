# fsnsa — build, test, demo.  Plain GNU make: the project is one library,
# one command and a set of test programs, which a Makefile says directly.
#
#   make            library + command          make test       unit + CLI tests
#   make demo       FSA+NSA vs dense on XOR    make test-asan  tests under ASan+UBSan
#   make bench      benchmark table + JSON     make clean
#   make selection  issue 14's selection goals (docs/SELECTION.md)
#   make install    PREFIX=/usr/local, DESTDIR (install.mk)
#
# CC=clang works too. BUILD=dir puts objects elsewhere.

CC      ?= cc
BUILD   ?= build
SAN     ?= 0
PKGS    := cmocka zlib libmd

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O3
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) -fopenmp \
              -Iinclude -Isrc
# No BLAS: the training step and prediction are the library's own fused
# kernels (docs/PERFORMANCE.md); OpenBLAS is only bench/'s GEMM yardstick.
# libmd: SHA-256 of the data sets named in job files (src/exp/fingerprint.c)
LDLIBS  := $(shell pkg-config --libs zlib libmd 2>/dev/null || echo -lz -lmd) -lm
TESTLIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS    += -fsanitize=address,undefined
endif

# The library's layers, each a folder: core -> data -> nn -> model -> exp
LIB_SRC  := $(sort $(wildcard src/*/*.c))
CLI_SRC  := $(sort $(wildcard cli/*.c))
TEST_SRC := $(sort $(wildcard tests/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libfsnsa.a
# The shared library: the same sources compiled again position-independent
# with hidden visibility, so that only what the public headers declare
# (FSNSA_API_BEGIN..END) is exported. The version lives in include/fsnsa.h.
VERSION  := $(shell sed -n 's/^\#define FSNSA_VERSION "\(.*\)"/\1/p' include/fsnsa.h)
SONAME   := libfsnsa.so.$(firstword $(subst ., ,$(VERSION)))
SO       := $(BUILD)/libfsnsa.so.$(VERSION)
SO_LINKS := $(BUILD)/$(SONAME) $(BUILD)/libfsnsa.so
PIC_OBJ  := $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
BIN      := $(BUILD)/fsnsa
DEPS_OK  := $(BUILD)/.deps-ok

export FSNSA_BIN := $(abspath $(BIN))
export FSNSA_DATASETS ?= $(abspath ../shared/datasets)

# fsnsa-mpi (docs/distributed.md): the command with an MPI dispatcher for
# its sweeps, a binary of its own so that the plain fsnsa needs no MPI at
# build or run time. MPI=1 builds it with mpicc; by default (auto) it is
# built whenever mpicc is installed, so that make test runs its tests.
MPICC   ?= mpicc
MPI     ?= auto
ifeq ($(MPI),auto)
MPI := $(if $(shell command -v $(MPICC) 2>/dev/null),1,0)
endif
MPI_BIN := $(BUILD)/fsnsa-mpi
MPI_OBJ := $(CLI_SRC:%.c=$(BUILD)/mpi/%.o) $(BUILD)/mpi/cli/mpi/mpi_sweep.o \
           $(BUILD)/mpi/cli/mpi/mpi_local.o
ifeq ($(MPI),1)
export FSNSA_MPI_BIN := $(abspath $(MPI_BIN))
endif

.PHONY: all deps test test-asan demo bench bench-quick selection selection-quick clean
all: $(BIN) $(SO_LINKS) $(if $(filter 1,$(MPI)),$(MPI_BIN))

# Installs (as root) or names (otherwise) the Debian packages we need.
$(DEPS_OK): scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh build
	@touch $@
deps: $(DEPS_OK)

$(BUILD)/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/pic/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -fvisibility=hidden -MMD -MP -c $< -o $@

# --no-undefined: a missing link library shows here, not in a user's program
# (not under the sanitizers, whose runtime clang leaves to the program).
SO_LDFLAGS := -shared -Wl,-soname,$(SONAME) $(if $(filter 1,$(SAN)),,-Wl,--no-undefined)
$(SO): $(PIC_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(SO_LDFLAGS) -o $@ $(PIC_OBJ) $(LDLIBS)

$(BUILD)/$(SONAME): $(SO)
	ln -sf $(notdir $<) $@

$(BUILD)/libfsnsa.so: $(BUILD)/$(SONAME)
	ln -sf $(notdir $<) $@

$(BIN): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

# the command's sources again with FSNSA_MPI, and the dispatcher; mpicc
# wraps $(CC) (OMPI_CC), so the warnings and sanitizers stay the same
$(BUILD)/.deps-mpi-ok: scripts/deps.sh
	@mkdir -p $(BUILD)
	@sh scripts/deps.sh mpi
	@touch $@

$(BUILD)/mpi/%.o: %.c $(DEPS_OK) $(BUILD)/.deps-mpi-ok
	@mkdir -p $(dir $@)
	OMPI_CC=$(CC) $(MPICC) $(ALL_CFLAGS) -DFSNSA_MPI -MMD -MP -c $< -o $@

$(MPI_BIN): $(MPI_OBJ) $(LIB)
	OMPI_CC=$(CC) $(MPICC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(MPI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/%.c tests/testutil.h $(wildcard tests/*.inc include/*.h src/*/*.h) $(LIB) $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests $(LDFLAGS) -o $@ $< $(LIB) $(TESTLIBS) $(LDLIBS)

# The allocation-failure test routes the library's allocations through
# its own wrappers (tests/test_nomem.c).
$(BUILD)/tests/test_nomem: LDFLAGS += -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=posix_memalign

# Each test program is a cmocka suite; the script runs them all, then prints
# one summary line, and fails if any failed.
# Then the Python package's tests (python/run-tests.sh: skipped, with the
# reason, without Debian's python3-numpy, -sklearn, -pytest).
# Then make install into a temporary DESTDIR and a C program built against
# it with pkg-config (tests/install.sh: skipped without help2man), the
# layering (scripts/check-layers.py, on the objects just built), and
# `make demo` (the README's first command), quietly unless it fails.
test: $(BIN) $(SO_LINKS) $(TEST_BIN) $(if $(filter 1,$(MPI)),$(MPI_BIN))
	@sh tests/run.sh $(TEST_BIN)
	@sh python/run-tests.sh $(BUILD) $(SAN)
	@sh tests/install.sh $(BUILD) $(SAN) $(MAKE)
	@if [ -x /usr/bin/python3 ]; then /usr/bin/python3 scripts/check-layers.py $(BUILD); \
	 else echo "check-layers: skipped: /usr/bin/python3 is absent (scripts/deps.sh python)"; fi
	@sh scripts/demo.sh $(BIN) > $(BUILD)/demo.log 2>&1 || { cat $(BUILD)/demo.log; exit 1; }
	@tail -n 1 $(BUILD)/demo.log

# MPI=0: Open MPI's own allocations that live until exit would fail
# LeakSanitizer in every rank; the dispatcher's tests run in make test.
test-asan:
	$(MAKE) BUILD=build-asan SAN=1 OPT=-O1 MPI=0 test

demo: $(BIN)
	@sh scripts/demo.sh $(BIN)

bench: $(BIN) $(SO_LINKS) $(if $(filter 1,$(MPI)),$(MPI_BIN))
	@sh scripts/deps.sh blas
	@$(MAKE) -s -C bench BUILD=$(abspath $(BUILD))

bench-quick: $(BIN) $(SO_LINKS) $(if $(filter 1,$(MPI)),$(MPI_BIN))
	@sh scripts/deps.sh blas
	@$(MAKE) -s -C bench BUILD=$(abspath $(BUILD)) quick

clean:
	rm -rf build build-asan

# The feature-selection goals of issue 14 (bench/selection.py,
# docs/SELECTION.md): XOR hits at p = P (n = 3000) and p = P2 (n = N2),
# the weight decay 1e-2 case, and the Table 2 grid's job files checked
# for blow-ups, and (CASES=realdata) `train --features auto` on the UCI
# tables at NN(best)'s settings, REALDATA_CONFIGS each; a table on stdout,
# JSON in SEL_JSON. The full size takes hours on 2 loaded cores
# (docs/SELECTION.md); selection-quick ~1 minute.
SEEDS    ?= 10
RESTARTS ?= 16
P        ?= 100
P2       ?= 200
N2       ?= 10000
CASES    ?= p100 p200 wd grid
VARIANTS ?= paper stable
CURVE    ?= 15 30 50 75 100
SEL_THREADS ?= 2
REALDATA_CONFIGS ?= one-se min-refit
SEL_JSON ?= $(BUILD)/selection.json
selection: $(BIN)
	/usr/bin/python3 bench/selection.py --fsnsa $(BIN) --seeds $(SEEDS) \
	    --restarts $(RESTARTS) --p $(P) --p2 $(P2) --n2 $(N2) --cases $(CASES) \
	    --variants $(VARIANTS) --curve $(CURVE) --threads $(SEL_THREADS) \
	    --realdata-configs $(REALDATA_CONFIGS) --json $(SEL_JSON)
selection-quick: $(BIN)
	$(MAKE) -s selection SEEDS=2 RESTARTS=2 P=20 P2=30 N2=1000 CASES="p100 p200 wd grid"

# The paper's figures and Table 2 (paper/run.sh, docs/RESULTS.md): `paper`
# is the full study (many hours on 2 cores), `paper-quick` a reduced one
# (under 10 minutes), `paper-ci` a tiny one for CI. Job files under the
# output folder make a rerun continue where an interrupted one stopped.
.PHONY: paper paper-quick paper-ci
paper: $(BIN)
	@sh scripts/deps.sh paper
	sh paper/run.sh full paper/full
paper-quick: $(BIN)
	@sh scripts/deps.sh paper
	sh paper/run.sh quick paper/out-quick
paper-ci: $(BIN)
	@sh scripts/deps.sh paper
	sh paper/run.sh ci $(BUILD)/paper-ci

# make install, make uninstall, make man: install.mk
include install.mk

# make install-python: python/python.mk
include python/python.mk

# make fuzz, make test-valgrind, the fuzz replay in make test: fuzz/fuzz.mk
include fuzz/fuzz.mk

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(PIC_OBJ:.o=.d) $(MPI_OBJ:.o=.d)
