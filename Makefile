# Two commands: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := demo

.PHONY: install test test-slow demo bench templates clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest -q

# The long fault-injection run: SIGKILL at every passage of every boundary.
test-slow: $(STAMP)
	SPSE_SLOW=1 $(BIN)/python -m pytest -q tests/test_crash.py

demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/pipeline init $(DEMO)
	cp examples/* $(DEMO)/inbox/
	@echo
	@echo "== pipeline run: memproses contoh di $(DEMO)/inbox =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml run
	@echo
	@echo "== pipeline status =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml status
	@echo
	@echo "== pipeline register (agenda surat masuk) =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml register --buku masuk
	@echo
	@echo "== Dokumen siap cetak =="
	@find $(DEMO)/outbox -name '*.docx' | sort
	@echo "Berkas yang ditolak beserta alasannya: $(DEMO)/inbox/ditolak/"

bench: $(STAMP)
	$(BIN)/python bench/bench_intake.py
	$(BIN)/python bench/bench_case.py

templates: $(STAMP)
	$(BIN)/python tools/make_templates.py

clean:
	rm -rf $(DEMO) bench/out .pytest_cache
