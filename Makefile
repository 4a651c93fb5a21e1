# Two commands do all the set-up: `make run` and `make test`. Each makes .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test chat bench model translations clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) -m desktop

test: $(STAMP)
	$(PY) -m pytest -q

chat: $(STAMP)
	$(PY) -m model chat

bench: $(STAMP)
	$(PY) -m model bench

# The shipped model: the one command that made resources/marginalia.safetensors (see README).
model: $(STAMP)
	$(PY) -m model train --seed 1 --steps 36000 --threads 2 --check-steps 6000 --out resources/marginalia.safetensors

# Every visible string of desktop/ into the English source of the translations (see desktop/i18n.py).
# A translation: copy it to resources/translations/marginalia_<lang>.ts, translate it in Qt Linguist
# (pyside6-linguist), then make its .qm with pyside6-lrelease.
translations: $(STAMP)
	$(VENV)/bin/pyside6-lupdate $$(find desktop -name '*.py' | sort) -locations none -no-obsolete \
		-source-language en -ts resources/translations/marginalia.ts

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
