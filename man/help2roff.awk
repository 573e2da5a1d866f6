# One command's --help text (stdin) as man(7) roff (stdout), for
# man/commands.sh. The help layout (cli/help.c): an option line is
# "  -x, --opt ARG" with its text from column 24, continued on lines
# indented 24; a heading is an unindented line ending in ':' above
# indented lines; other indented lines (notes, formulas) keep their layout.
BEGIN { ind = sprintf("%24s", "") }
{ line[NR] = $0 }

# roff's special characters; '-' as \- so that it renders as a minus sign
# (an ASCII hyphen), which is what a user types.
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    if (s ~ /^[.'[\/]/)      # a control line, or an include-file marker
        s = "\\&" s
    return s
}
# An option tag: its -x and --opt words bold, the arguments plain.
function tag(s,   n, i, w, out) {
    n = split(s, w, " ")
    for (i = 1; i <= n; i++)
        out = out (i > 1 ? " " : "") (w[i] ~ /^-/ ? "\\fB" esc(w[i]) "\\fR" : esc(w[i]))
    return out
}
function continued(s) { return substr(s, 1, 24) == ind }
function mode(m) {              # "fill", "nofill" or "para"
    if (m == cur) return
    if (cur == "nofill") print ".fi"
    if (m == "para" && cur != "para") print ".PP"
    if (m == "nofill") print ".nf"
    cur = m
}
function option(s,   k, t) {
    sub(/^ +/, "", s)
    # the text starts after two spaces, or at column 24 right after a
    # 21-character option
    if ((k = index(s, "  ")) == 0) k = 22
    print ".TP"
    print tag(substr(s, 1, k))
    t = substr(s, k + 1)
    sub(/^ +/, "", t)
    if (t != "") print esc(t)
    while (i < NR && continued(line[i + 1])) {
        t = line[++i]
        sub(/^ +/, "", t)
        print esc(t)
    }
}

END {
    cur = "para"
    for (i = 1; i <= NR; i++) {
        s = line[i]
        if (s ~ /^ +-/ && !continued(s)) {
            mode("fill"); option(s)
        } else if (s == "") {
            mode("para")
        } else if (s ~ /:$/ && s !~ /^ / && line[i + 1] ~ /^ /) {
            mode("para"); print "\\fB" esc(s) "\\fR"; cur = "fill"
        } else if (s ~ /^ /) {
            mode("nofill"); print esc(s)
        } else {
            mode("fill"); print esc(s)
        }
    }
    mode("fill")
}
