/* CRC-32 (zlib's, the polynomial of gzip and PNG) over any length: zlib's
 * crc32() takes a uInt count, so longer buffers go in pieces. */
#include "core.h"

#include <limits.h>
#include <zlib.h>

uint32_t fsnsa__crc32(const void *data, size_t n)
{
    const unsigned char *p = data;
    uLong c = crc32(0L, Z_NULL, 0);
    while (n > 0) {
        uInt k = n > UINT_MAX ? UINT_MAX : (uInt)n;
        c = crc32(c, p, k);
        p += k;
        n -= k;
    }
    return (uint32_t)c;
}
