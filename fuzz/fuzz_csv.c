/* Fuzz target: the CSV reader (fsnsa_dataset_read with
 * FSNSA_FORMAT_CSV). See fuzz_reader.c for what is checked. */
#include "fuzz.h"
#include "fuzz_reader.h"

int fuzz_csv(const uint8_t *data, size_t size)
{
    return fuzz_read(data, size, FSNSA_FORMAT_CSV, ".csv");
}

FSNSA_FUZZ_MAIN(csv)
