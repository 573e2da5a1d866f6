/* Fuzz target: the ARFF reader (fsnsa_dataset_read with
 * FSNSA_FORMAT_ARFF). See fuzz_reader.c for what is checked. */
#include "fuzz.h"
#include "fuzz_reader.h"

int fuzz_arff(const uint8_t *data, size_t size)
{
    return fuzz_read(data, size, FSNSA_FORMAT_ARFF, ".arff");
}

FSNSA_FUZZ_MAIN(arff)
