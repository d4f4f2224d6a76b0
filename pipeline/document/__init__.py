"""Stage 5, the whole .tex: templates and their language, the preamble from what the body
requires, the title block, assembly."""
