/* Shared by the fuzz targets (fuzz_*.c).
 *
 * Each target defines one entry point, fuzz_<name>(data, size), that must
 * never crash, leak or read out of bounds on any input, and that checks
 * the library's contract on what it got back (FSNSA_FUZZ_CHECK traps when
 * the contract is broken, so libFuzzer reports it like a crash).
 *
 * Built two ways:
 *  - with -DFSNSA_LIBFUZZER and clang -fsanitize=fuzzer,...: the file also
 *    defines LLVMFuzzerTestOneInput (fuzz/fuzz.mk, `make fuzz`);
 *  - plainly, linked into tests/test_fuzz_replay.c, which replays every
 *    file of fuzz/corpus/<name>/ and fuzz/regressions/<name>/ through the
 *    same entry point from `make test` and `make test-asan`. */
#ifndef FSNSA_FUZZ_H
#define FSNSA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fsnsa.h"

int fuzz_csv(const uint8_t *data, size_t size);
int fuzz_libsvm(const uint8_t *data, size_t size);
int fuzz_arff(const uint8_t *data, size_t size);
int fuzz_uci(const uint8_t *data, size_t size);
int fuzz_model(const uint8_t *data, size_t size);
int fuzz_options(const uint8_t *data, size_t size);
int fuzz_number(const uint8_t *data, size_t size);

/* The number oracle of fuzz_number (fuzz/fuzz_number.c), shared with
 * tests/test_numbers.c: 1 when fsnsa__parse_number(tok, len, mark)
 * agrees with the grammar and with (float)strtod in the C locale, else 0
 * with the difference described in why. */
int fuzz_number_check(const char *tok, size_t len, char mark, char *why,
                      size_t why_size);
int fuzz_lines(const uint8_t *data, size_t size);
/* The lines fsnsa__lines reads from `path` with a buffer of `cap` bytes
 * against the reference splitter on the text t[0..n) it holds
 * (fuzz_lines.c). */
void fuzz_lines_check(const char *path, size_t cap, const uint8_t *t,
                      size_t n);

/* Write data to a per-process scratch file whose name ends in `ext`
 * (/dev/shm when it exists) and return its path; NULL if that fails. */
const char *fuzz_scratch_file(const char *ext, const uint8_t *data,
                              size_t size);

/* A broken contract: print where and trap (a crash for libFuzzer, a
 * failed test for the replay). */
#define FSNSA_FUZZ_CHECK(cond)                                              \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: fuzz contract broken: %s\n", __FILE__,  \
                    __LINE__, #cond);                                       \
            abort();                                                        \
        }                                                                   \
    } while (0)

#ifdef FSNSA_LIBFUZZER
#define FSNSA_FUZZ_MAIN(name)                                               \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);           \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)            \
    {                                                                       \
        return fuzz_##name(data, size);                                     \
    }
#else
#define FSNSA_FUZZ_MAIN(name)
#endif

#endif
