.PHONY: test
test:
	uv run pytest
