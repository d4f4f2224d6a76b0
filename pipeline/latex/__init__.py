"""Stage 3, rendering the Markdown AST to a LaTeX body: a table of handlers (blocks, inlines,
math, tables, figures, citations, code) over one typed render state; each handler declares
the packages it needs."""
