# make install-python: the package python/fsnsa into Debian's interpreter's
# site directory under PREFIX (with DESTDIR), by copying its files: Debian
# 12's pip refuses the system's site (PEP 668) and maps --prefix oddly.
# It loads libfsnsa.so.0 at import: `make install` puts that in place.
PREFIX      ?= /usr/local
PYTHON      ?= /usr/bin/python3
PY_VERSION   = $(shell $(PYTHON) -c 'import sys; print("python%d.%d" % sys.version_info[:2])')
PYTHON_SITE ?= $(PREFIX)/lib/$(PY_VERSION)/dist-packages
PY_FILES    := $(sort $(wildcard python/fsnsa/*.py))

.PHONY: install-python uninstall-python
install-python:
	install -d $(DESTDIR)$(PYTHON_SITE)/fsnsa
	install -m 644 $(PY_FILES) $(DESTDIR)$(PYTHON_SITE)/fsnsa/

uninstall-python:
	rm -rf $(DESTDIR)$(PYTHON_SITE)/fsnsa
