/* The data-reader harness (fuzz_reader.c), shared by the reader targets. */
#ifndef FSNSA_FUZZ_READER_H
#define FSNSA_FUZZ_READER_H

#include <stddef.h>
#include <stdint.h>

#include "fsnsa.h"

int fuzz_read(const uint8_t *data, size_t size, fsnsa_format format,
              const char *ext);

#endif
