/* The model file (model_file.c), internal part: the parser the fuzzer
 * reaches. Not part of the API. */
#ifndef FSNSA_MODEL_H
#define FSNSA_MODEL_H

#include "core/core.h"

#include <stdbool.h>

/* Parse a model file held in memory ; `name` prefixes the
 * error messages. verify_crc = false still requires the checksum line but
 * skips comparing it, so that a fuzzer reaches the parser. */
fsnsa_status fsnsa__model_parse(const char *data, size_t size,
                                const char *name, bool verify_crc,
                                fsnsa_model **out, fsnsa_error *err);

#endif
