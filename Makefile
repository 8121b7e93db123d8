# Two commands: `make demo` and `make test`. Both create .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := demo

.PHONY: install lint test test-slow demo bench bench-speed templates clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# The shape is kept by tools (docs/architecture.md): ruff lints and formats, mypy checks types.
lint: $(STAMP)
	$(BIN)/ruff check pipeline tests tools bench
	$(BIN)/ruff format --check pipeline tests tools bench
	$(BIN)/mypy pipeline

test: lint
	$(BIN)/python -m pytest -q

# The long fault-injection run: SIGKILL at every passage of every boundary.
test-slow: $(STAMP)
	SPSE_SLOW=1 $(BIN)/python -m pytest -q tests/test_crash.py

# The BPSDM case's decisions are made on the decision forms (tools/make_examples.py --decide),
# not with action files: its tindakan-bpsdm-*.yaml examples stay out of the demo's inbox.
demo: $(STAMP)
	rm -rf $(DEMO)
	$(BIN)/pipeline init $(DEMO)
	$(BIN)/python tools/make_examples.py --demo-inbox $(DEMO)/inbox
	cp $(filter-out examples/tindakan-bpsdm-%,$(wildcard examples/*)) $(DEMO)/inbox/
	@echo
	@echo "== pipeline run: memproses contoh di $(DEMO)/inbox =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml run
	@echo
	@echo "== pipeline status =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml status
	@echo
	@echo "== Staf memeriksa draf pindaian Bangda (dibaca dengan OCR) lalu menyimpannya di inbox =="
	test ! -f $(DEMO)/inbox/lengkapi/nota-dinas-bangda-pindaian.yaml || \
		cp $(DEMO)/inbox/lengkapi/nota-dinas-bangda-pindaian.yaml $(DEMO)/inbox/
	$(BIN)/pipeline --config $(DEMO)/config.yaml run
	@echo
	@echo "== Kasus BPSDM: setiap keputusan dibuat dengan mengisi formulir di folder keputusan pejabat =="
	@echo "   (disposisi Kapus dan Kabid, otentikasi, pemeriksaan, persetujuan: Nota Dinas bernomor)"
	$(BIN)/python tools/make_examples.py --decide $(DEMO) 027/301/ULP-BPSDM/XI/2026
	@echo
	@echo "== pipeline register (agenda surat masuk dan keluar) =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml register
	@echo
	@echo "== pipeline laporan (kinerja SOP bulan ini; halamannya di outbox/status/laporan.html) =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml laporan
	@echo
	@echo "== pipeline verify --kode: memeriksa dokumen cetak dari kode verifikasinya =="
	$(BIN)/pipeline --config $(DEMO)/config.yaml verify --kode $$($(BIN)/pipeline --config $(DEMO)/config.yaml \
		register --json --buku keluar | $(BIN)/python -c "import json, sys; print(json.loads(sys.stdin.readline())['kode'])")
	@echo
	@echo "== Dokumen siap cetak =="
	@find $(DEMO)/outbox -name '*.docx' -o -name '*.pdf' | grep -v /status/ | sort
	@echo "Buku agenda dan daftar SOP (Excel siap cetak): $(DEMO)/archive/*/buku/"
	@echo "Halaman status (buka di peramban): $(DEMO)/outbox/status/index.html"
	@echo "Laporan kinerja SOP bulan ini: $(DEMO)/outbox/status/laporan.html"
	@echo "Halaman verifikasi kode QR: $(DEMO)/outbox/status/kode/"
	@echo "Formulir keputusan yang menunggu pejabat: $(DEMO)/keputusan/<akun>/"
	@echo "Berkas yang ditolak beserta alasannya: $(DEMO)/inbox/ditolak/"
	@echo "Surat yang menunggu dilengkapi beserta drafnya: $(DEMO)/inbox/lengkapi/"

bench: $(STAMP)
	$(BIN)/python bench/bench.py

bench-speed: $(STAMP)
	$(BIN)/python bench/bench_speed.py

templates: $(STAMP)
	$(BIN)/python tools/make_templates.py

clean:
	rm -rf $(DEMO) bench/out .pytest_cache
