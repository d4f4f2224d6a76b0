# The README's quick start: `make example` and `make test`; both run the set-up first.
.PHONY: setup example test lint bench clean

EXAMPLE = content/posts/example-paper/index.md

setup:
	@scripts/setup

example: setup
	.venv/bin/mdpaper build $(EXAMPLE)

test: setup
	.venv/bin/python -m pytest -q

lint: setup
	.venv/bin/ruff check pipeline tests benchmarks
	PYTHON=.venv/bin/python scripts/typecheck

bench: setup
	.venv/bin/python -m pip install -q -e '.[bench]'
	.venv/bin/python benchmarks/run.py

clean:
	rm -rf output .pytest_cache .ruff_cache
