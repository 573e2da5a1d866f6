# make install / make uninstall: the command, both libraries, the headers,
# fsnsa.pc and the man page, Debian's way: PREFIX (/usr/local), DESTDIR
# for staging (a package build, the tests), nothing else touched.
# Included from the top Makefile, whose variables it uses. The Python
# package installs separately: make install-python (python/python.mk).
#
#   make install [PREFIX=/usr/local] [DESTDIR=]    make uninstall (the same)
#   make man     build/fsnsa.1 only (needs help2man: scripts/deps.sh install)

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PCDIR      ?= $(LIBDIR)/pkgconfig
MAN1DIR    ?= $(PREFIX)/share/man/man1
# Refreshes the run-time linker's cache after a real install, so that
# programs find libfsnsa.so.0 in /usr/local/lib; never when staging.
LDCONFIG   ?= ldconfig
HEADERS    := include/fsnsa.h include/fsnsa_exp.h
MAN        := $(BUILD)/fsnsa.1

# What a static link needs besides libfsnsa.a: the libraries the Makefile
# links the command with, and OpenMP as the compiler flag the library was
# built with. Libs.private rather than Requires.private zlib libmd: the
# headers include neither, so a shared-library user needs no zlib.pc.
PC_LIBS_PRIVATE := $(strip -fopenmp $(LDLIBS))

.PHONY: install uninstall man
man: $(MAN)

# The page from `fsnsa --help`, every `fsnsa CMD --help` (man/commands.sh)
# and man/fsnsa.h2m; dated by the last commit, so that it is reproducible.
$(MAN): $(BIN) man/fsnsa.h2m man/commands.sh man/help2roff.awk
	@sh scripts/deps.sh install
	sh man/commands.sh $(BIN) > $(BUILD)/fsnsa-commands.h2m
	SOURCE_DATE_EPOCH=$${SOURCE_DATE_EPOCH:-$$(git log -1 --format=%ct 2>/dev/null || date +%s)} \
	help2man --no-info \
	    --name='compact neural networks that pick their own features' \
	    --include=man/fsnsa.h2m --include=$(BUILD)/fsnsa-commands.h2m \
	    --output=$@.tmp $(BIN)
	mv $@.tmp $@

# fsnsa.pc is written at install time, so it always names this PREFIX.
install: $(BIN) $(LIB) $(SO_LINKS) $(MAN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PCDIR) \
	    $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MAN1DIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/fsnsa
	install -m 644 $(LIB) $(SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libfsnsa.so
	install -m 644 $(HEADERS) $(DESTDIR)$(INCLUDEDIR)/
	sed -e 's|@prefix@|$(PREFIX)|' \
	    -e 's|@libdir@|$(patsubst $(PREFIX)%,$${exec_prefix}%,$(LIBDIR))|' \
	    -e 's|@includedir@|$(patsubst $(PREFIX)%,$${prefix}%,$(INCLUDEDIR))|' \
	    -e 's|@version@|$(VERSION)|' -e 's|@libs_private@|$(PC_LIBS_PRIVATE)|' \
	    fsnsa.pc.in > $(DESTDIR)$(PCDIR)/fsnsa.pc
	chmod 644 $(DESTDIR)$(PCDIR)/fsnsa.pc
	install -m 644 $(MAN) $(DESTDIR)$(MAN1DIR)/fsnsa.1
	@if [ -z "$(DESTDIR)" ] && [ -n "$(LDCONFIG)" ] && [ "$$(id -u)" -eq 0 ]; then \
	    echo $(LDCONFIG); $(LDCONFIG); fi

# Only the files install wrote: the folders may hold other software's.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fsnsa $(DESTDIR)$(LIBDIR)/libfsnsa.a \
	    $(DESTDIR)$(LIBDIR)/$(notdir $(SO)) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	    $(DESTDIR)$(LIBDIR)/libfsnsa.so $(DESTDIR)$(PCDIR)/fsnsa.pc \
	    $(HEADERS:include/%=$(DESTDIR)$(INCLUDEDIR)/%) \
	    $(DESTDIR)$(MAN1DIR)/fsnsa.1
	@if [ -z "$(DESTDIR)" ] && [ -n "$(LDCONFIG)" ] && [ "$$(id -u)" -eq 0 ]; then \
	    echo $(LDCONFIG); $(LDCONFIG); fi
