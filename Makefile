# 职教知识助手 — `make run` (install, build the index if needed, serve) and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
EVAL    ?= ../shared/eval/dev.jsonl
STAMP   := $(VENV)/.installed

.PHONY: run test eval calibrate answers fixtures index install browser converters bench load clean-index

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests (Playwright's own browser download cannot work offline)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; fi; }

# Debian's antiword reads legacy .doc/.wps files (LibreOffice, when installed, is used instead and keeps headings);
# the app starts without either and skips such files with the reason
converters:
	@command -v antiword >/dev/null 2>&1 || command -v soffice >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword >/dev/null); \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq antiword >/dev/null; fi; } \
	  || echo "antiword not installed: .doc and .wps files will be skipped"

index: $(STAMP)
	$(BIN)/python -m rag ingest --auto-rebuild

# the app builds what is missing itself: the lexical index first (seconds), the vectors in the background
run: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP) browser converters
	$(BIN)/python -m pytest -q -ra

# the shared dev sample must stay perfect (exit status); the held-out test half and the questions written from the
# text are scored beside it (never read question by question)
eval: index
	mkdir -p .cache
	$(BIN)/python -m rag batch bench/sets/test.jsonl > .cache/eval_test.jsonl
	@echo "== held-out test split (bench/sets/test.jsonl)"
	-@$(BIN)/python -m rag.evaluate bench/sets/test.jsonl .cache/eval_test.jsonl | tail -1
	$(BIN)/python -m rag batch bench/sets/val3.jsonl > .cache/eval_val3.jsonl
	@echo "== eighth round on the tune documents, never read (bench/sets/val3.jsonl)"
	-@$(BIN)/python -m rag.evaluate bench/sets/val3.jsonl .cache/eval_val3.jsonl | tail -1
	$(BIN)/python -m rag batch bench/questions.jsonl > .cache/eval_bench.jsonl
	@echo "== questions written from the text (bench/questions.jsonl)"
	-@$(BIN)/python -m rag.evaluate bench/questions.jsonl .cache/eval_bench.jsonl | tail -1
	$(BIN)/python -m rag batch $(EVAL) > .cache/eval_answers.jsonl
	@echo "== dev ($(EVAL))"
	$(BIN)/python -m rag.evaluate $(EVAL) .cache/eval_answers.jsonl

# fit the answerer's evidence model, its decline threshold and its quoting margin on the tune split (rag/data/answer_model.json)
calibrate: index
	$(BIN)/python -m bench.calibrate
	$(BIN)/python -m bench.fit_quote_margin --write

# answer quality on every set beside the replaced answerer (bench/results/ANSWERS.md); add --cmrc for CMRC 2018
answers: index
	$(BIN)/python -m bench.answers --cmrc

fixtures:
	cp ../shared/eval/dev.jsonl tests/fixtures/dev.jsonl
	cp bench/sets/test.jsonl tests/fixtures/test_split.jsonl
	cp bench/questions.jsonl tests/fixtures/bench_questions.jsonl

bench: index
	$(BIN)/python -m bench

load: index
	$(BIN)/python -m bench.load --users 20 --questions 3 --browser 6

clean-index:
	rm -rf index/chroma index/manifest.json index/lexical.pkl index/chunks.pkl index/figures.pkl index/sentences.pkl index/dense.json index/sentence_progress.json
