/* Fuzz target: the UCI reader (fsnsa_dataset_read with
 * FSNSA_FORMAT_UCI). See fuzz_reader.c for what is checked. */
#include "fuzz.h"
#include "fuzz_reader.h"

int fuzz_uci(const uint8_t *data, size_t size)
{
    return fuzz_read(data, size, FSNSA_FORMAT_UCI, ".data");
}

FSNSA_FUZZ_MAIN(uci)
