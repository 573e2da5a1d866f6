/* The records of delimited text: which lines are rows, and a record over
 * several lines when a quoted field holds line breaks (RFC 4180). Both
 * depend on the delimiter, so while it is detected every line read is
 * kept, and the file is read again from its first line once it is
 * decided: the same rules then meet the same lines whether the delimiter
 * was detected or given. */
#include "csv.h"

#include "limits.h"

#include <stdlib.h>
#include <string.h>

enum { LINE_DATA, LINE_BLANK, LINE_COMMENT };

fsnsa_status fsnsa__csv_open(fsnsa__csv_source *src, const char *path,
                             const fsnsa_read_options *opt, fsnsa_error *err)
{
    memset(src, 0, sizeof *src);
    return fsnsa__lines_open(&src->r, path, opt, err);
}

void fsnsa__csv_close(fsnsa__csv_source *src)
{
    fsnsa__lines_close(&src->r);
    free(src->ahead);
    free(src->ahead_off);
    free(src->rec);
    memset(src, 0, sizeof *src);
}

void fsnsa__csv_keep(fsnsa__csv_source *src)
{
    src->keep = true;
}

void fsnsa__csv_rewind(fsnsa__csv_source *src)
{
    src->keep = false;
    src->full = false;
    src->next_ahead = 0;
    src->line_no = 0;
    src->row_seen = false;
}

/* A copy of the line just read, for the rewind. Once the copies hold as
 * much as one line may (the line limit), keeping stops: detection then
 * decides with the lines it has. */
static fsnsa_status keep_line(fsnsa__csv_source *src, const char *line,
                              size_t len, fsnsa_error *err)
{
    size_t need = src->ahead_len + len + 1;
    char *text = fsnsa__grow(src->ahead, &src->ahead_cap, need, 1, 4096);
    if (text == NULL)
        return fsnsa__nomem(err, "the first lines");
    src->ahead = text;
    size_t *off = fsnsa__grow(src->ahead_off, &src->cap_off, src->n_ahead + 1,
                              sizeof *off, 64);
    if (off == NULL)
        return fsnsa__nomem(err, "the first lines");
    src->ahead_off = off;
    src->ahead_off[src->n_ahead++] = src->ahead_len;
    memcpy(src->ahead + src->ahead_len, line, len);
    src->ahead[src->ahead_len + len] = '\0';
    src->ahead_len = need;
    src->full = src->ahead_len > src->r.max_line;
    return FSNSA_OK;
}

/* The next line: a kept one after a rewind, else the stream's. */
static fsnsa_status next_line(fsnsa__csv_source *src, char **line,
                              size_t *len, fsnsa_error *err)
{
    if (!src->keep && src->next_ahead < src->n_ahead) {
        size_t i = src->next_ahead++;
        size_t end = i + 1 < src->n_ahead ? src->ahead_off[i + 1]
                                          : src->ahead_len;
        *line = src->ahead + src->ahead_off[i];
        *len = end - src->ahead_off[i] - 1;
        src->line_no++;
        return FSNSA_OK;
    }
    if (src->keep && src->full) {
        *line = NULL;
        *len = 0;
        return FSNSA_OK;
    }
    fsnsa_status st = fsnsa__lines_next(&src->r, line, len, err);
    if (st != FSNSA_OK || *line == NULL)
        return st;
    src->line_no++;
    return src->keep ? keep_line(src, *line, *len, err) : FSNSA_OK;
}

/* Whether the first field of s is a missing-value token: "#N/A" starts a
 * row of a spreadsheet, not a comment. Before the delimiter is known
 * (delim 0), any of the delimiters it may be ends the field. */
static bool starts_with_na(const fsnsa__table *t, const char *s, char delim)
{
    size_t n = 0;
    while (s[n] != '\0' &&
           (delim == 0 ? strchr(",;\t ", s[n]) == NULL
            : delim == ' ' ? s[n] != ' ' && s[n] != '\t'
                           : s[n] != delim))
        n++;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n > 0 && fsnsa__table_is_na(t, s, n);
}

/* Whether the ';'s of s (which starts with one) all come first: ";;;
 * comment" and "; note", not ";a;b". */
static bool semicolons_lead(const char *s)
{
    while (*s == ';')
        s++;
    return strchr(s, ';') == NULL;
}

/* '#' lines are comments, unless they start with a missing-value token;
 * ';' lines too (UCI's Lisp-style ";;;" headers) unless ';' is the
 * delimiter, where a leading ';' is an empty field (";a;b", the header
 * pandas writes over an index column) -- but before the first row a line
 * whose ';'s all come first is a comment whatever the delimiter. delim 0:
 * not known yet (';' lines are then comments). */
static int line_kind(const fsnsa__table *t, const char *s, char delim,
                     bool row_seen)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '\0')
        return LINE_BLANK;
    if (*s == '#' && !starts_with_na(t, s, delim))
        return LINE_COMMENT;
    if (*s == ';' && (delim != ';' || (!row_seen && semicolons_lead(s))))
        return LINE_COMMENT;
    return LINE_DATA;
}

/* The first line of the next record. */
static fsnsa_status next_content(const fsnsa__table *t,
                                 fsnsa__csv_source *src, char delim,
                                 char **line, size_t *len, fsnsa_error *err)
{
    fsnsa_status st;
    while ((st = next_line(src, line, len, err)) == FSNSA_OK && *line != NULL)
        if (line_kind(t, *line, delim, src->row_seen) == LINE_DATA)
            break;
    if (st == FSNSA_OK && *line != NULL)
        src->row_seen = true;
    return st;
}

/* Whether text from p to end leaves a quoted field open, by the
 * splitter's rules (a field is quoted when its first non-blank character
 * is '"'; inside, "" is a quote), starting inside one when `inq`; adds the
 * fields it starts to *fields. */
static bool scan_fields(const char *p, const char *end, char delim, bool inq,
                        size_t *fields)
{
    for (;;) {
        if (!inq) {
            while (p < end && (*p == ' ' || (*p == '\t' && delim != '\t')))
                p++;
            if (delim == ' ' && p == end && *fields > 0)
                return false; /* trailing blanks start no field */
            ++*fields;
            inq = p < end && *p == '"';
            p += inq;
        }
        while (inq) {
            if (p == end)
                return true;
            if (*p++ == '"') {
                if (p < end && *p == '"')
                    p++;
                else
                    inq = false;
            }
        }
        if (delim == ' ')
            while (p < end && *p != ' ' && *p != '\t')
                p++;
        else
            while (p < end && *p != delim)
                p++;
        if (p == end)
            return false;
        p++;
    }
}

static bool ends_in_quote(const char *p, const char *end, char delim,
                          bool inq)
{
    /* no '"' at all: no quoted field opens (most lines of most files) */
    if (!inq && memchr(p, '"', (size_t)(end - p)) == NULL)
        return false;
    size_t fields = 0;
    return scan_fields(p, end, delim, inq, &fields);
}

size_t fsnsa__csv_count_fields(const char *s, size_t len, char delim)
{
    size_t fields = 0;
    scan_fields(s, s + len, delim, false, &fields);
    return fields;
}

/* RFC 4180: a quoted field may hold line breaks. While the record in
 * *line leaves one open, the following lines (blank and comment lines
 * too: they are inside the field) are joined to it with "\n" in the
 * record buffer, which then holds the record. At the end of the file the
 * field stays open, for the splitter to report. */
fsnsa_status fsnsa__csv_join(fsnsa__csv_source *src, char delim, char **line,
                             size_t *len, fsnsa_error *err)
{
    if (!ends_in_quote(*line, *line + *len, delim, false))
        return FSNSA_OK;
    size_t start = src->line_no, n = 0, max = src->r.max_line;
    char *piece = *line;
    size_t plen = *len;
    for (;;) {
        bool first = n == 0;
        size_t need = n + !first + plen + 1;
        if (need > max + 1)
            return fsnsa__fail(err, FSNSA_ERR_LIMIT,
                               "%s:%zu:1: a quoted field runs over more than "
                               "%zu bytes (it is not closed?)",
                               src->r.path, start, max);
        char *rec = fsnsa__grow(src->rec, &src->rec_cap, need, 1, 256);
        if (rec == NULL)
            return fsnsa__nomem(err, "a record");
        src->rec = rec;
        if (!first)
            src->rec[n++] = '\n';
        memcpy(src->rec + n, piece, plen);
        src->rec[n + plen] = '\0';
        bool open = first || ends_in_quote(src->rec + n, src->rec + n + plen,
                                           delim, true);
        n += plen;
        if (!open)
            break;
        fsnsa_status st = next_line(src, &piece, &plen, err);
        if (st != FSNSA_OK)
            return st;
        if (piece == NULL)
            break;
    }
    *line = src->rec;
    *len = n;
    return FSNSA_OK;
}

fsnsa_status fsnsa__csv_next_line(const fsnsa__table *t,
                                  fsnsa__csv_source *src, char **line,
                                  size_t *len, fsnsa_error *err)
{
    return next_content(t, src, 0, line, len, err);
}

fsnsa_status fsnsa__csv_next(const fsnsa__table *t, fsnsa__csv_source *src,
                             char delim, char **line, size_t *len,
                             size_t *line_no, fsnsa_error *err)
{
    fsnsa_status st = next_content(t, src, delim, line, len, err);
    if (st != FSNSA_OK || *line == NULL)
        return st;
    *line_no = src->line_no;
    return fsnsa__csv_join(src, delim, line, len, err);
}
