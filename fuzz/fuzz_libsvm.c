/* Fuzz target: the LIBSVM reader (fsnsa_dataset_read with
 * FSNSA_FORMAT_LIBSVM). See fuzz_reader.c for what is checked. */
#include "fuzz.h"
#include "fuzz_reader.h"

int fuzz_libsvm(const uint8_t *data, size_t size)
{
    return fuzz_read(data, size, FSNSA_FORMAT_LIBSVM, ".svm");
}

FSNSA_FUZZ_MAIN(libsvm)
