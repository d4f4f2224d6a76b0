"""Stage 4, the bibliography: CSL-JSON, CSL-YAML or .bib in; BibTeX-safe keys and an escaped
.bib out."""
