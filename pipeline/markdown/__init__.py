"""Stage 2, parsing: mistune 3 in AST mode with math, Hugo shortcodes, Pandoc-style citations
and the Markdown line of every block."""
