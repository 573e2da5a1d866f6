#!/usr/bin/python3
"""Whole delimited-text files against an independent reader (issue 12).

Writes random tables into OUT (quoting with '"', delimiters ',' ';' tab and
blanks, missing tokens, numeric, nominal and mixed columns, header or not,
numbers in many formats, decimal commas) and, for each table tNNN.<ext>,
tNNN.expect: the read options and what fsnsa_dataset_read must give, found
with Python's csv module and float() under the rules of docs/data.md
(never with fsnsa's code). tests/test_csv_oracle.c reads every table with
fsnsa and compares, bit for bit after rounding to float32.

    /usr/bin/python3 tests/csv_oracle.py --seed 12 --tables 300 --out DIR

The expect format, one item per line (text fields hex-encoded UTF-8):
    file NAME / delimiter BYTE / decimal BYTE / header -1|0|1 /
    label HEX|- / missing refuse|mean / n N / p P / name HEX (p lines) /
    class HEX (one per class) / row BITS... (n lines, 8 hex digits per
    float32, "nan" for missing) / y ID... / end
"""
import argparse
import csv
import io
import os
import random
import re
import struct

# Missing values (docs/data.md, "Missing values"): an empty field, or a
# token of the reader's default list, matched exactly (case-sensitive),
# quoted or not. The list is read from the one place it is defined,
# FSNSA_DEFAULT_NA_VALUES in include/fsnsa.h, and the generator writes every
# token of it, so a token added there is tested at once.
def default_na_values():
    header = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                          "include", "fsnsa.h")
    text = open(header, encoding="utf-8").read()
    m = re.search(r"#define FSNSA_DEFAULT_NA_VALUES((?:[^\n]*\\\n)*[^\n]*)", text)
    return "".join(re.findall(r'"([^"]*)"', m.group(1))).split(",")


MISSING_EXACT = [""] + default_na_values()
MISSING_ANY_CASE = []


def is_missing(s):
    return s in MISSING_EXACT or s.lower() in MISSING_ANY_CASE


def random_missing(r):
    choices = MISSING_EXACT + MISSING_ANY_CASE
    s = r.choice(choices)
    if s in MISSING_ANY_CASE:
        s = "".join(c.upper() if r.random() < 0.5 else c for c in s)
    return s


# Numbers: the grammar of docs/data.md.
NUMBER = {
    ".": re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z"),
    ",": re.compile(r"[+-]?[0-9]+(,[0-9]+)?([eE][+-]?[0-9]+)?\Z"),
}


def float32(s, mark):
    """(float)strtod(s) as Python sees it: float() then rounded to float32
    (struct's 'f' is a C cast); None when out of float range."""
    try:
        return struct.unpack("<f", struct.pack("<f", float(s.replace(mark, "."))))[0]
    except OverflowError:
        return None


def is_number(s, mark):
    return NUMBER[mark].match(s) is not None and float32(s, mark) is not None


def bits(v):
    return "%08x" % struct.unpack("<I", struct.pack("<f", v))[0]


def canon(v):
    """A number's name in a nominal column: "%.9g" of its float."""
    return "%.9g" % v


# ---------------------------------------------------------------- values

NUMBER_FORMATS = ["%.17g", "%.18e", "%.9g", "%g", "%.3f", "%.0f", "%.12E",
                  "%.25g", "%.6e"]


def random_double(r):
    kind = r.randrange(4)
    if kind == 0:
        v = r.uniform(1, 10) * 10.0 ** r.randrange(-44, 38)
    elif kind == 1:
        v = r.gauss(0, 1)
    elif kind == 2:
        v = float(r.randrange(-1000, 1000))
    else:
        v = r.randrange(1, 100000) / 10.0 ** r.randrange(0, 6)
    return -v if r.random() < 0.5 else v


def vary(r, s, mark):
    """A printed number in another of the forms people write."""
    m = re.match(r"([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?)(\d+))?\Z", s)
    sign, ip, fp, esign, ed = m.groups()
    if sign == "" and r.random() < 0.2:
        sign = "+"
    if r.random() < 0.1:
        ip = "00" + ip
    out = sign + ip
    if fp is not None:
        out += mark + fp
    elif mark == "." and r.random() < 0.2:
        out += "."  # "12."
    if mark == "." and out.lstrip("+-").startswith("0.") and r.random() < 0.3:
        out = out.replace("0.", ".", 1)  # ".5"
    if ed is not None:
        if r.random() < 0.5:
            ed = ed.lstrip("0") or "0"
        if esign == "+" and r.random() < 0.5:
            esign = ""
        out += r.choice("eE") + esign + ed
    return out


def random_number(r, mark):
    while True:
        s = vary(r, r.choice(NUMBER_FORMATS) % random_double(r), mark)
        if is_number(s, mark):
            return s


# Words hold the delimiters, quotes, blanks and line breaks that quoting
# must keep, but no '.' (with a decimal comma "1.5" is an error, not a
# word), no missing token and nothing that reads as a number.
WORDS = ["red", "green", "blue", "5more", "big dog", "a,b", "x;y", "tab\there",
         'say "hi"', "two\nlines", "Grün", "naïve", "c++", "=", "-", "e5",
         "x1", "value 9", "q'uote"]


def random_word(r):
    return r.choice(WORDS) if r.random() < 0.7 else "w%d" % r.randrange(40)


# ---------------------------------------------------------------- tables

def make_table(r):
    delim = r.choice([",", ";", "\t", " "])
    mark = "," if delim in ";\t" and r.random() < 0.35 else "."
    n_feat = r.randrange(1, 7)
    n_rows = r.randrange(3, 30)
    missing_ok = r.random() < 0.5
    kinds = [r.choice(["num", "num", "nom", "mixed"]) for _ in range(n_feat)]
    label_numeric = r.random() < 0.4
    cols = []
    for kind in kinds:
        col = []
        vocab = [random_word(r) for _ in range(r.randrange(2, 6))]
        if kind == "mixed":
            vocab += [random_number(r, mark) if r.random() < 0.3
                      else r.choice(["2", "3", "4", "2" + mark + "0"])
                      for _ in range(3)]
        for _ in range(n_rows):
            if missing_ok and r.random() < 0.1:
                col.append(random_missing(r))
            elif kind == "num":
                col.append(random_number(r, mark))
            else:
                col.append(r.choice(vocab))
        cols.append(col)
    labels = []
    for i in range(n_rows):
        if label_numeric:
            k = r.randrange(3)
            forms = ["%d" % k, "%d%s0" % (k, mark), "+%d" % k, "0%d" % k,
                     "%de0" % k] + (["%d." % k] if mark == "." else [])
            labels.append(r.choice(forms))
        else:
            labels.append(r.choice(["yes", "no", "maybe", "a b", "No"]))
    if len({float32(s, mark) if label_numeric else s for s in labels}) < 2:
        labels[0], labels[1] = (("1", "2") if label_numeric else ("yes", "no"))
    where = r.choice(["last", "first", "index", "name"])
    pos = {"last": n_feat, "first": 0}.get(where, r.randrange(n_feat + 1))
    cols.insert(pos, labels)
    header = r.random() < 0.5
    names = []
    for j in range(len(cols)):
        names.append(r.choice(["c%d" % j, "col %d" % j, "a,%d" % j,
                               'h"%d' % j, "Spalte%d" % j]))
    return dict(delim=delim, mark=mark, cols=cols, label_pos=pos, where=where,
                header=header, names=names, missing_ok=missing_ok)


def needs_quotes(s, delim, mark):
    """Quotes wherever the text would otherwise change the fields or the
    detected delimiter: delimiters, blanks, quotes, line breaks (a
    decimal comma in a number stays bare: that is the case to detect)."""
    if s == "" and delim == " ":
        return True
    if mark == "," and is_number(s, mark):
        return False
    return (any(c in s for c in '"\n\t ,;' + delim)
            or s.startswith(("#", ";")))


def render(r, t):
    """The file's text: rows of fields, some quoted, some padded, with
    blank and comment lines between records."""
    delim = t["delim"]
    rows = [list(row) for row in zip(*t["cols"])]
    if t["header"]:
        rows.insert(0, t["names"])
    out = io.StringIO()
    if r.random() < 0.2:
        out.write("# a comment\n")
    for row in rows:
        fields = []
        for j, s in enumerate(row):
            if j == 0 and (s.startswith(("#", ";")) or (s == "" and delim == ";")):
                s = '"%s"' % s.replace('"', '""')  # not a comment line
            elif needs_quotes(s, delim, t["mark"]) or r.random() < 0.1:
                s = '"%s"' % s.replace('"', '""')
            if delim != " " and r.random() < 0.15:
                s = " " * r.randrange(1, 3) + s
            if delim != " " and r.random() < 0.15:
                s = s + " " * r.randrange(1, 3)
            fields.append(s)
        sep = delim if delim != " " else None
        line = sep.join(fields) if sep else "".join(
            f + (" " * r.randrange(1, 3) if k + 1 < len(fields) else "")
            for k, f in enumerate(fields))
        out.write(line + "\n")
        if r.random() < 0.05:
            out.write("\n" if r.random() < 0.5 else "#comment, here\n")
    return out.getvalue()


# ---------------------------------------------------------------- oracle

def parse(text, delim):
    """The rows as Python's csv module reads them, blank and '#' lines
    dropped, blanks around fields dropped (tabs too unless tab is the
    delimiter): docs/data.md, delimited text. Quoted values never begin or
    end with blanks here, so stripping cannot change one."""
    def content(lines):
        for line in lines:
            if line.strip(" \t\n") and not line.lstrip(" \t").startswith("#"):
                yield line
    lines = io.StringIO(text, newline="")
    reader = csv.reader(content(lines), delimiter=delim, skipinitialspace=True)
    strip = " " if delim == "\t" else " \t"
    return [[f.strip(strip) for f in row] for row in reader]


def header_detected(rows, mark):
    """docs/data.md, header rule (a): a word over a number."""
    return any(not is_number(a, mark) and not is_missing(a) and is_number(b, mark)
               for a, b in zip(rows[0], rows[1]))


def expected(rows, label_pos, has_header, mark):
    names = rows[0] if has_header else None
    data = rows[1:] if has_header else rows
    width = len(data[0])
    assert all(len(row) == width for row in data)
    feat = [j for j in range(width) if j != label_pos]
    x_cols, feature_names = [], []
    for k, j in enumerate(feat):
        base = names[j] if names else "x%d" % k
        cells = [row[j] for row in data]
        present = [s for s in cells if not is_missing(s)]
        if all(is_number(s, mark) for s in present):
            x_cols.append([float("nan") if is_missing(s) else float32(s, mark)
                           for s in cells])
            feature_names.append(base)
            continue
        values = []
        key = [None if is_missing(s) else
               canon(float32(s, mark)) if is_number(s, mark) else s
               for s in cells]
        for v in key:
            if v is not None and v not in values:
                values.append(v)
        for v in values:
            x_cols.append([float("nan") if c is None else float(c == v)
                           for c in key])
            feature_names.append(base + "=" + v)
    labels = [row[label_pos] for row in data]
    assert not any(is_missing(s) for s in labels)
    if all(is_number(s, mark) for s in labels):
        order = sorted({float32(s, mark) for s in labels})
        y = [order.index(float32(s, mark)) for s in labels]
        classes = [next(s for s in labels if float32(s, mark) == v) for v in order]
    else:
        classes = []
        for s in labels:
            if s not in classes:
                classes.append(s)
        y = [classes.index(s) for s in labels]
    x = [[col[i] for col in x_cols] for i in range(len(data))]
    return x, y, feature_names, classes


def hexs(s):
    return s.encode("utf-8").hex()


def write_case(r, out_dir, k):
    t = make_table(r)
    mark = t["mark"]
    text = render(r, t)
    rows = parse(text, t["delim"])
    # Options: sometimes given, sometimes left to the reader where the
    # documented detection is certain for this table.
    header_opt = r.choice([-1, 0, 1])
    if header_opt == -1 and header_detected(rows, mark) != t["header"]:
        header_opt = int(t["header"])
    if header_opt != -1 and header_opt != int(t["header"]):
        header_opt = int(t["header"])
    delim_opt = t["delim"] if r.random() < 0.5 else "\0"
    decimal_opt = mark if mark == "," or r.random() < 0.3 else "\0"
    if mark == "," and r.random() < 0.5:
        data = rows[1:] if t["header"] else rows
        if any(mark in row[j] and is_number(row[j], mark)
               for row in data for j in range(len(row)) if j != t["label_pos"]):
            decimal_opt = "\0"  # the data decide
    where = t["where"]
    label = {"last": None, "first": "first",
             "index": str(t["label_pos"])}.get(where)
    if where == "name":
        label = t["names"][t["label_pos"]] if t["header"] else str(t["label_pos"])
    x, y, feature_names, classes = expected(rows, t["label_pos"], t["header"], mark)
    has_missing = any(v != v for row in x for v in row)
    ext = {",": ".csv", ";": ".csv", "\t": ".tsv", " ": ".txt"}[t["delim"]]
    name = "t%03d%s" % (k, ext)
    with open(os.path.join(out_dir, name), "w", encoding="utf-8", newline="") as f:
        f.write(text)
    with open(os.path.join(out_dir, "t%03d.expect" % k), "w") as f:
        f.write("file %s\n" % name)
        f.write("delimiter %d\ndecimal %d\nheader %d\n"
                % (ord(delim_opt), ord(decimal_opt), header_opt))
        f.write("label %s\n" % (hexs(label) if label is not None else "-"))
        f.write("missing %s\n" % ("mean" if has_missing or r.random() < 0.3
                                  else "refuse"))
        f.write("n %d\np %d\n" % (len(x), len(feature_names)))
        for s in feature_names:
            f.write("name %s\n" % hexs(s))
        for s in classes:
            f.write("class %s\n" % hexs(s))
        for row in x:
            f.write("row %s\n" % " ".join("nan" if v != v else bits(v) for v in row))
        f.write("y %s\nend\n" % " ".join(str(v) for v in y))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--tables", type=int, default=300)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    r = random.Random(a.seed)
    for k in range(a.tables):
        write_case(r, a.out, k)


if __name__ == "__main__":
    main()
