# Fuzzing and the reliability checks (issue 6, docs/RELIABILITY.md).
# Included from the top Makefile, whose variables it uses.
#
#   make fuzz [FUZZ_SECONDS=60]   build the libFuzzer targets with clang
#                                 (ASan + UBSan) and run each that long
#   make fuzz-build               only build them (build-fuzz/)
#   make test-valgrind            a fast subset of the tests and a short CLI
#                                 train/predict under valgrind
#
# `make test` replays fuzz/corpus/* and fuzz/regressions/* through the same
# entry points without libFuzzer (tests/test_fuzz_replay.c).

FUZZ_TARGETS := csv libsvm arff uci model options number lines
FUZZ_CC      ?= clang
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                -fno-omit-frame-pointer
FUZZ_CFLAGS  := -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -O1 -g -fopenmp \
                -Iinclude -Isrc -Ifuzz
FUZZ_LIB_OBJ := $(patsubst %.c,$(FUZZ_BUILD)/%.o,$(LIB_SRC) cli/options.c)
FUZZ_SUPPORT := fuzz/fuzz_common.c fuzz/fuzz_reader.c
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_HDRS    := $(wildcard include/*.h src/*/*.h) \
                fuzz/fuzz.h fuzz/fuzz_reader.h cli/options.h

.PHONY: fuzz fuzz-build test-valgrind clean-fuzz

clean-fuzz:
	rm -rf $(FUZZ_BUILD)

# The library with coverage instrumentation, no libFuzzer main.
$(FUZZ_BUILD)/%.o: %.c $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/libfsnsa.a: $(FUZZ_LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: fuzz/fuzz_%.c $(FUZZ_SUPPORT) $(FUZZ_BUILD)/libfsnsa.a $(FUZZ_HDRS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -DFSNSA_LIBFUZZER \
	    -o $@ $< $(FUZZ_SUPPORT) $(FUZZ_BUILD)/libfsnsa.a $(LDLIBS)

fuzz-build:
	@sh scripts/deps.sh fuzz
	@$(MAKE) --no-print-directory $(FUZZ_BINS)

fuzz: fuzz-build
	@sh fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_BUILD) $(FUZZ_TARGETS)

# The replay: the same targets built plainly (with SAN=1 under ASan+UBSan)
# and linked into tests/test_fuzz_replay.c, which feeds them every corpus and
# regression file.
FUZZ_REPLAY_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(FUZZ_TARGETS:%=fuzz/fuzz_%.c) \
                   $(FUZZ_SUPPORT) cli/options.c)
$(BUILD)/tests/test_fuzz_replay: tests/test_fuzz_replay.c tests/testutil.h \
        fuzz/fuzz.h $(FUZZ_REPLAY_OBJ) $(LIB) $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -Ifuzz $(LDFLAGS) -o $@ $< $(FUZZ_REPLAY_OBJ) \
	    $(LIB) $(TESTLIBS) $(LDLIBS) -lpthread

# The number reader's oracle test shares fuzz_number's oracle.
$(BUILD)/tests/test_numbers: tests/test_numbers.c tests/testutil.h fuzz/fuzz.h \
        $(BUILD)/fuzz/fuzz_number.o $(LIB) $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests -Ifuzz $(LDFLAGS) -o $@ $< \
	    $(BUILD)/fuzz/fuzz_number.o $(LIB) $(TESTLIBS) $(LDLIBS)

# Valgrind: memcheck on a fast subset (whole suite under valgrind takes too
# long); tests/valgrind.supp silences third-party noise only (OpenBLAS,
# libgomp), never fsnsa's own code.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect \
            --show-leak-kinds=definite,indirect \
            --suppressions=tests/valgrind.supp
test-valgrind: $(BIN) $(TEST_BIN)
	@sh scripts/deps.sh fuzz
	@sh tests/valgrind.sh "$(VALGRIND)" $(BUILD)

-include $(FUZZ_REPLAY_OBJ:.o=.d)
