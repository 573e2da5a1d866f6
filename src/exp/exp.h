/* The experiment layer's internal header: the public experiment API
 * (fsnsa_exp.h) on the core. Not part of the API. */
#ifndef FSNSA_EXP_INTERNAL_H
#define FSNSA_EXP_INTERNAL_H

#include "core/core.h"
#include "fsnsa_exp.h"

#endif
