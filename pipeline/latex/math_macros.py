"""KaTeX's and MathJax's extra macros, as data: what each means in LaTeX.

Blog math is written for KaTeX or MathJax, which know more than LaTeX does. Each extra is
one of three kinds, so that a document loads only what its post uses:

- an alias, rewritten inside the formula (``\\R`` → ``\\mathbb{R}``): nothing in the
  preamble, and LaTeX's own meaning of a name (``\\empty``, ``\\part``) is untouched
  outside math;
- a macro of a package (``\\cancel`` → cancel), which is then loaded;
- a macro with no package here, defined in the preamble the way KaTeX defines it.

The meanings follow KaTeX's macro definitions and support table (MathJax agrees where
both have a name).
"""

from __future__ import annotations


def _bb(letter: str) -> str:
    return "\\mathbb{" + letter + "}"


#: name -> replacement, inside math only
ALIASES: dict[str, str] = {
    "R": _bb("R"), "N": _bb("N"), "Z": _bb("Z"), "C": _bb("C"), "Q": _bb("Q"),
    "Complex": _bb("C"), "cnums": _bb("C"), "reals": _bb("R"), "Reals": _bb("R"),
    "natnums": _bb("N"), "Alpha": "\\mathrm{A}", "Beta": "\\mathrm{B}",
    "Epsilon": "\\mathrm{E}", "Zeta": "\\mathrm{Z}", "Eta": "\\mathrm{H}",
    "Iota": "\\mathrm{I}", "Kappa": "\\mathrm{K}", "Mu": "\\mathrm{M}", "Nu": "\\mathrm{N}",
    "Omicron": "\\mathrm{O}", "Rho": "\\mathrm{P}", "Tau": "\\mathrm{T}",
    "Chi": "\\mathrm{X}", "omicron": "o", "darr": "\\downarrow", "dArr": "\\Downarrow",
    "Darr": "\\Downarrow", "uarr": "\\uparrow", "uArr": "\\Uparrow", "Uarr": "\\Uparrow",
    "rarr": "\\rightarrow", "rArr": "\\Rightarrow", "Rarr": "\\Rightarrow",
    "larr": "\\leftarrow", "lArr": "\\Leftarrow", "Larr": "\\Leftarrow",
    "harr": "\\leftrightarrow", "hArr": "\\Leftrightarrow", "Harr": "\\Leftrightarrow",
    "lrarr": "\\leftrightarrow", "lrArr": "\\Leftrightarrow", "Lrarr": "\\Leftrightarrow",
    "infin": "\\infty", "isin": "\\in", "sub": "\\subset", "sube": "\\subseteq",
    "supe": "\\supseteq", "plusmn": "\\pm", "bull": "\\bullet", "sdot": "\\cdot",
    "empty": "\\emptyset", "lang": "\\langle", "rang": "\\rangle", "exist": "\\exists",
    "alef": "\\aleph", "alefsym": "\\aleph", "weierp": "\\wp", "image": "\\Im",
    "real": "\\Re", "clubs": "\\clubsuit", "diamonds": "\\diamondsuit",
    "hearts": "\\heartsuit", "spades": "\\spadesuit", "sect": "\\S", "Dagger": "\\ddagger",
    "thetasym": "\\vartheta", "part": "\\partial", "lt": "<", "gt": ">",
    "argmin": "\\operatorname*{arg\\,min}", "argmax": "\\operatorname*{arg\\,max}",
    "plim": "\\operatorname*{plim}", "colonequals": "\\coloneqq",
    "equalscolon": "\\eqqcolon", "coloncolon": "\\dblcolon", "TeX": "\\text{\\TeX}",
    "LaTeX": "\\text{\\LaTeX}", "KaTeX": "\\text{\\KaTeX}", "widecheck": "\\check",
    "bold": "\\mathbf", "Bbb": "\\mathbb", "frak": "\\mathfrak",
    # KaTeX's names for the Russian-school functions
    "tg": "\\operatorname{tg}", "ctg": "\\operatorname{ctg}", "cotg": "\\operatorname{cotg}",
    "cth": "\\operatorname{cth}", "arctg": "\\operatorname{arctg}",
    "arcctg": "\\operatorname{arcctg}", "ch": "\\operatorname{ch}",
    "sh": "\\operatorname{sh}", "cosec": "\\operatorname{cosec}",
    "degree": "{}^{\\circ}", "varvdots": "\\vdots", "dotsx": "\\dots", "notni": "\\not\\ni",
    # colon relations: mathtools' names for the same signs
    "colonminus": "\\coloneq", "coloncolonminus": "\\Coloneq", "minuscolon": "\\eqcolon",
    "minuscoloncolon": "\\Eqcolon", "coloncolonequals": "\\Coloneqq",
    "equalscoloncolon": "\\Eqqcolon", "coloncolonapprox": "\\Colonapprox",
    "coloncolonsim": "\\Colonsim", "approxcoloncolon": "\\approx\\dblcolon",
    "simcoloncolon": "\\sim\\dblcolon",
    # accents over an argument: the alias takes the argument that follows it
    "overrightharpoon": "\\overset{\\rightharpoonup}",
    "overleftharpoon": "\\overset{\\leftharpoonup}",
    "lparen": "(", "rparen": ")",
    # MathJax and KaTeX end a row (of a matrix, of display math) at \newline as at \\
    "newline": "\\\\",
    "overlinesegment": "\\overline", "underlinesegment": "\\underline",
    "Overrightarrow": "\\overset{\\Rightarrow}", "mathsfit": "\\mathsf",
    # actuarialangle's \angl, as KaTeX's macro for the angle over n
    "angln": "{\\angl n}",
    # TeX's \vcenter takes a vertical list; KaTeX's takes math (defined below)
    "vcenter": "\\mdpapervcenter",
    "ratio": "\\vcentcolon",
    # KaTeX's size between \\tiny and \\scriptsize: LaTeX's nearest
    "sixptsize": "\\scriptsize",
}

_MATHTOOLS = ("coloneqq Coloneqq coloneq Coloneq eqqcolon Eqqcolon eqcolon Eqcolon "
              "colonapprox Colonapprox colonsim Colonsim dblcolon vcentcolon mathclap "
              "mathllap mathrlap prescript xleftrightarrow xLeftarrow xRightarrow "
              "xLeftrightarrow xhookleftarrow xhookrightarrow xmapsto xrightharpoonup "
              "xrightharpoondown xleftharpoonup xleftharpoondown xrightleftharpoons "
              "xleftrightharpoons underbracket overbracket DeclarePairedDelimiter")
_PACKAGES = {
    "braket": "bra ket braket set Bra Ket Braket Set",
    "cancel": "cancel bcancel xcancel cancelto",
    "bm": "bm",
    "mathrsfs": "mathscr",
    "stmaryrd": "llbracket rrbracket minuso",
    "nicefrac": "nicefrac",
    "esint": "oiint",
    "extarrows": "xlongequal xLongleftarrow xLongrightarrow xLongleftrightarrow "
                 "xlongleftarrow xlongrightarrow xlongleftrightarrow",
    "mathtools": _MATHTOOLS,
    "arydshln": "hdashline cdashline",
    "mhchem": "ce pu",  # KaTeX's and MathJax's mhchem extension
    "actuarialangle": "angl",
    "steinmetz": "phase",
    "ulem": "sout",  # KaTeX's \text{\sout{…}}
    # MathJax's upgreek extension (\upbeta: upright Greek)
    "upgreek": "upalpha upbeta upgamma updelta upepsilon upvarepsilon upzeta upeta uptheta "
               "upvartheta upiota upkappa uplambda upmu upnu upxi uppi upvarpi uprho "
               "upvarrho upsigma upvarsigma uptau upupsilon upphi upvarphi upchi uppsi "
               "upomega Upgamma Updelta Uptheta Uplambda Upxi Uppi Upsigma Upupsilon Upphi "
               "Uppsi Upomega",
}
#: options a package needs to mean what KaTeX and MathJax mean (mhchem: their version 4
#: syntax; ulem: without normalem every \emph of the document would be underlined)
PACKAGE_OPTIONS = {"mhchem": "version=4", "ulem": "normalem"}
#: name -> the package that defines it (loaded when a formula uses the name)
PACKAGE_OF: dict[str, str] = {name: package for package, names in _PACKAGES.items()
                              for name in names.split()}

#: name -> preamble definition, for extras no installed package has (KaTeX's look)
DEFINITIONS: dict[str, str] = {
    "KaTeX": "\\providecommand{\\KaTeX}{K\\kern-.17em\\raisebox{.21em}{\\scriptsize A}"
             "\\kern-.15em\\TeX}",
    "xtofrom": "\\providecommand{\\xtofrom}[2][]{\\mathrel{\\mathop{\\rightleftarrows}"
               "\\limits^{#2}_{#1}}}",
    "utilde": "\\providecommand{\\utilde}[1]{\\underset{\\sim}{#1}}",
    # KaTeX's white curly brackets (no installed package has them): a doubled brace
    "lBrace": "\\providecommand{\\lBrace}{\\mathopen{\\{\\mkern-7mu\\{}}",
    "rBrace": "\\providecommand{\\rBrace}{\\mathclose{\\}\\mkern-7mu\\}}}",
    # MathJax's (plain TeX's) centred lines, \\ between them
    # (LaTeX's own is plain TeX's, an \\halign that cannot sit inside \\[ \\])
    "displaylines": "\\renewcommand{\\displaylines}[1]{\\begin{gathered}#1\\end{gathered}}",
    # mhchem here has \\ce but not MathJax's physical units: set as \\ce sets them
    "pu": "\\providecommand{\\pu}[1]{\\ce{#1}}",
    # KaTeX's (extpfeil's) arrows, on amsmath's extensible-arrow machinery (extpfeil itself
    # would clash with mathtools' and extarrows' arrows of the same names)
    "xtwoheadrightarrow": "\\makeatletter\\providecommand{\\xtwoheadrightarrow}[2][]{"
                          "\\ext@arrow 0359{\\arrowfill@\\relbar\\relbar\\twoheadrightarrow}"
                          "{#1}{#2}}\\makeatother",
    "xtwoheadleftarrow": "\\makeatletter\\providecommand{\\xtwoheadleftarrow}[2][]{"
                         "\\ext@arrow 3095{\\arrowfill@\\twoheadleftarrow\\relbar\\relbar}"
                         "{#1}{#2}}\\makeatother",
    # KaTeX's arcs over and under an argument: a brace's ends without its middle tip
    "overgroup": "\\providecommand{\\overgroup}[1]{\\mathop{\\vbox{\\mathsurround=0pt"
                 "\\halign{##\\cr\\noalign{\\kern3pt}\\mdpapergroupfill\\braceld\\bracerd\\cr"
                 "\\noalign{\\kern3pt\\nointerlineskip}$\\hfil\\displaystyle{#1}\\hfil$\\cr}}}"
                 "\\limits}" + "\\providecommand{\\mdpapergroupfill}[2]{$\\mathsurround=0pt"
                 "\\setbox0\\hbox{$#1$}#1\\leaders\\vrule height\\ht0 depth0pt\\hfill#2$}",
    "undergroup": "\\providecommand{\\undergroup}[1]{\\mathop{\\vtop{\\mathsurround=0pt"
                  "\\halign{##\\cr$\\hfil\\displaystyle{#1}\\hfil$\\cr\\noalign{\\kern3pt"
                  "\\nointerlineskip}\\mdpapergroupfill\\bracelu\\braceru\\cr\\noalign{"
                  "\\kern3pt}}}}\\limits}" + "\\providecommand{\\mdpapergroupfill}[2]{$"
                  "\\mathsurround=0pt\\setbox0\\hbox{$#1$}#1\\leaders\\vrule height\\ht0 "
                  "depth0pt\\hfill#2$}",
    # the triple contour integral: txfonts' glyph, its font alone (no other font changes)
    "oiiint": "\\DeclareSymbolFont{mdpapertxexa}{U}{txexa}{m}{n}"
              "\\DeclareMathSymbol{\\mdpaperoiiintop}{\\mathop}{mdpapertxexa}{41}"
              "\\providecommand{\\oiiint}{\\mdpaperoiiintop\\nolimits}",
    # ⊶ and ⊷ (no installed font has them): a dot and a circle joined by a bar
    "origof": "\\providecommand{\\origof}{\\mathrel{{\\bullet}\\mkern-4mu{\\relbar}"
              "\\mkern-4mu{\\circ}}}",
    "imageof": "\\providecommand{\\imageof}{\\mathrel{{\\circ}\\mkern-4mu{\\relbar}"
               "\\mkern-4mu{\\bullet}}}",
    "vcenter": "\\providecommand{\\mdpapervcenter}[1]{\\mathpalette\\mdpapervcenterbox{#1}}"
               "\\providecommand{\\mdpapervcenterbox}[2]{\\vcenter{\\hbox{$#1#2$}}}",
}
_MATHTOOLS_ENVIRONMENTS = (
    "matrix* pmatrix* bmatrix* Bmatrix* vmatrix* Vmatrix* smallmatrix* psmallmatrix "
    "psmallmatrix* bsmallmatrix bsmallmatrix* Bsmallmatrix Bsmallmatrix* vsmallmatrix "
    "vsmallmatrix* Vsmallmatrix Vsmallmatrix* dcases dcases* rcases rcases* drcases "
    "drcases* multlined cases* lgathered rgathered spreadlines crampedsubarray")
#: math environments of a package (``\\begin{CD}``: amscd's commutative diagrams, which
#: KaTeX writes with amscd's own @>a>> arrows)
ENVIRONMENT_PACKAGES = {"CD": "amscd",
                        # mathtools' matrices with a column alignment ([r]), its cases
                        **dict.fromkeys(_MATHTOOLS_ENVIRONMENTS.split(), "mathtools")}

#: MathJax's physics extension (\\dv, \\qty, \\bra…), modelled on physics.sty, which sets
#: it here: the names it defines, made known when the page loads it
PHYSICS_PACKAGE = "physics"
PHYSICS_NAMES = frozenset((
    "Bqty", "Im", "PV", "Pmqty", "Pr", "Probability", "Re", "Res", "Residue", "Tr", "Trace",
    "abs", "absolutevalue", "acomm", "acommutator", "acos", "acosecant", "acosine", "acot",
    "acotangent", "acsc", "admat", "anticommutator", "antidiagonalmatrix", "arccos",
    "arccosecant", "arccosine", "arccot", "arccotangent", "arccsc", "arcsec", "arcsecant",
    "arcsin", "arcsine", "arctan", "arctangent", "asec", "asecant", "asin", "asine", "atan",
    "atangent", "bmqty", "bqty", "bra", "braket", "comm", "commutator", "cos", "cosecant",
    "cosh", "cosine", "cot", "cotangent", "coth", "cp", "cross", "crossproduct", "csc", "csch",
    "curl", "dd", "derivative", "det", "determinant", "diagonalmatrix", "diffd",
    "differential", "div", "divergence", "divisionsymbol", "dmat", "dotproduct", "dv", "dyad",
    "erf", "ev", "eval", "evaluated", "exp", "expectationvalue", "exponential", "expval",
    "fderivative", "fdv", "flatfrac", "functionalderivative", "grad", "gradient",
    "hypcosecant", "hypcosine", "hypcotangent", "hypsecant", "hypsine", "hyptangent",
    "identitymatrix", "imaginary", "imat", "innerproduct", "ip", "ket", "ketbra", "laplacian",
    "ln", "log", "logarithm", "matrixdeterminant", "matrixel", "matrixelement",
    "matrixquantity", "mdet", "mel", "mqty", "naturallogarithm", "norm", "op", "order",
    "outerproduct", "partialderivative", "paulimatrix", "paulixmatrix", "pauliymatrix",
    "paulizmatrix", "pb", "pderivative", "pdv", "pmat", "pmqty", "poissonbracket", "pqty",
    "principalvalue", "pv", "qall", "qand", "qas", "qassume", "qc", "qcc", "qcomma", "qelse",
    "qeven", "qfor", "qgiven", "qif", "qin", "qinteger", "qlet", "qodd", "qor", "qotherwise",
    "qq", "qqtext", "qsince", "qthen", "qty", "quantity", "qunless", "qusing", "rank", "real",
    "sPmqty", "sbmqty", "sec", "secant", "sech", "sin", "sine", "sinh",
    "smallmatrixdeterminant", "smallmatrixquantity", "smdet", "smqty", "spmqty", "svmqty",
    "tan", "tangent", "tanh", "tr", "trace", "va", "var", "variation", "vb", "vdot",
    "vectorarrow", "vectorbold", "vectorunit", "vev", "vmqty", "vnabla", "vqty", "vu", "xmat",
    "xmatrix", "zeromatrix", "zmat"))

#: control words that take arguments mdpaper rewrites itself (colors, MathJax's HTML ones)
REWRITTEN = frozenset(("color", "textcolor", "colorbox", "fcolorbox", "bbox", "enclose",
                       "unicode", "require", "class", "cssId", "style", "data",
                       "DeclareMathOperator", "newcommand", "renewcommand", "providecommand",
                       "def", "gdef"))

#: every control word the extras make known
EXTRA_NAMES = frozenset({*ALIASES, *PACKAGE_OF, *DEFINITIONS, *REWRITTEN})
