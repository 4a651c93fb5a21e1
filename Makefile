# Two commands do all the set-up: `make run` and `make test`. Each makes .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# With no network: wheelhouse/ (made by `make wheelhouse` on a connected machine) is where every install
# reads from, and the only place, as soon as it holds wheels.
WHEELHOUSE := wheelhouse
PIP_FROM := $(if $(wildcard $(WHEELHOUSE)/*.whl),--no-index --find-links $(WHEELHOUSE),)

.PHONY: run test chat bench model translations wheelhouse desktop-entry clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet $(PIP_FROM) --upgrade pip
	$(PY) -m pip install --quiet $(PIP_FROM) -e '.[test]'
	touch $(STAMP)

# The system libraries Qt's X11 plugin needs are checked first: a missing one is named, with the line
# that installs it (desktop/system.py).
run: $(STAMP)
	$(PY) -m desktop.system
	$(PY) -m desktop

# Every wheel the project needs (and pip, setuptools and wheel, to install it) into wheelhouse/, for a
# machine with no network and the same Python version, operating system and processor (see README).
wheelhouse:
	$(PYTHON) -m pip download --quiet --dest $(WHEELHOUSE) pip 'setuptools>=68' wheel '.[test]'

test: $(STAMP)
	$(PY) -m pytest -q

chat: $(STAMP)
	$(PY) -m model chat

bench: $(STAMP)
	$(PY) -m model bench

# The shipped model: the one command that made resources/marginalia.safetensors (see README).
model: $(STAMP)
	$(PY) -m model train --seed 1 --steps 42000 --threads 2 --check-steps 6000 --out resources/marginalia.safetensors

# Every visible string of desktop/ into the English source of the translations (see desktop/i18n.py).
# A translation: copy it to resources/translations/marginalia_<lang>.ts, translate it in Qt Linguist
# (pyside6-linguist), then make its .qm with pyside6-lrelease.
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find desktop -name '*.py' | sort) -locations none -no-obsolete \
		-source-language en -ts resources/translations/marginalia.ts

# A launcher in the desktop's application menu, with the icon, for this user (what it runs: this folder's
# `make run`, the system libraries checked first).
APPS ?= $(or $(XDG_DATA_HOME),$(HOME)/.local/share)/applications
desktop-entry: $(STAMP)
	mkdir -p $(APPS)
	sed -e "s|@EXEC@|make -C $(CURDIR) run|" -e "s|@ICON@|$(CURDIR)/resources/marginalia.svg|" \
		deploy/marginalia.desktop.in > $(APPS)/marginalia.desktop
	@echo "installed $(APPS)/marginalia.desktop"

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis  # (wheelhouse/ stays: it may be all there is)
