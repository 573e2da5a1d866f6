/* The data layer's internal interface, for the layers above it and for
 * the tests: every concept header of src/data. Files inside src/data
 * include only the headers they use. Not part of the API; docs/data.md
 * has the rules these implement.
 *
 *   limits.h   the limits of reading
 *   lines.h    the streaming line reader            lines.c
 *   fields.h   the field splitter, Weka's escapes    fields.c
 *   number.h   the number parser                     number.c
 *   dict.h     string dictionaries                   dict.c
 *   text.h     small text helpers                    text.c
 *   columns.h  the label column and ignored columns  columns.c
 *   table.h    the table builder                     table.c and others
 *   date.h     ARFF dates                            date.c
 *   readers.h  the readers and the options check     csv*.c, libsvm.c,
 *                                                    arff*.c, read.c
 * csv.h and arff.h are private to their readers' files. */
#ifndef FSNSA_DATA_INTERNAL_H
#define FSNSA_DATA_INTERNAL_H

#include "columns.h"
#include "date.h"
#include "dict.h"
#include "fields.h"
#include "limits.h"
#include "lines.h"
#include "number.h"
#include "readers.h"
#include "table.h"
#include "text.h"

#endif
