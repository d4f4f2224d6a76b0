# mdpaper in a container: Debian 12 with only the TeX Live packages mdpaper needs, so the same
# build runs on a laptop, in CI, anywhere a container engine runs.
#
#   docker build -t mdpaper .
#   docker run --rm -v "$PWD:/site" -w /site -u "$(id -u):$(id -g)" mdpaper \
#       build content/ --into static/papers
#
# The TeX subset is the one README lists (pdflatex, latexmk, BibTeX, the LaTeX packages of the
# built-in templates, poppler for page counts, rsvg for SVG figures), xelatex/lualatex with
# the fonts and language packages the automatic engine choice needs (CJK, Greek, Cyrillic,
# emoji, babel); --build-arg ENGINES="..." adds more. No shell escape, no
# network at build time of a paper: the image needs nothing more.
FROM debian:bookworm-slim

ARG ENGINES=""
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
        latexmk texlive-latex-base texlive-latex-recommended texlive-latex-extra \
        texlive-fonts-recommended texlive-plain-generic texlive-science lmodern poppler-utils \
        librsvg2-bin texlive-xetex texlive-luatex texlive-pictures \
        texlive-lang-cjk texlive-lang-chinese fonts-noto-cjk fonts-dejavu-core \
        texlive-lang-greek texlive-lang-cyrillic texlive-lang-german texlive-lang-european \
        latex-cjk-common latex-cjk-chinese-arphic-gbsn00lp latex-cjk-japanese-wadalab \
        texlive-lang-korean cm-super-minimal texlive-lang-other \
        python3 python3-venv ${ENGINES} \
 && rm -rf /var/lib/apt/lists/* /usr/share/doc/* /usr/share/man/*

# mdpaper from this checkout, in its own virtualenv (Debian's Python is externally managed)
COPY pyproject.toml README.md /src/
COPY pipeline /src/pipeline
COPY templates /src/templates
RUN python3 -m venv /opt/mdpaper \
 && /opt/mdpaper/bin/pip install --no-cache-dir /src \
 && rm -rf /src
ENV PATH=/opt/mdpaper/bin:$PATH \
    HOME=/tmp

WORKDIR /site
ENTRYPOINT ["mdpaper"]
CMD ["--help"]
