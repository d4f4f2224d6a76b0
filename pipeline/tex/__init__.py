"""Running TeX: the engine table, the one confined process runner, latexmk, the precompiled
preamble, and reading TeX's and BibTeX's logs."""
