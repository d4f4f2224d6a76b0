"""The control words math may use without mdpaper's help: LaTeX's own, amsmath's, amssymb's
and the text commands that appear in ``\\text{…}`` (the fonts every document loads).

A word neither here, nor among the KaTeX/MathJax extras (``math_macros``), nor defined by
the post or its template is a typo TeX would stop at ("Undefined control sequence"):
``mdpaper check`` and ``build`` report it before TeX runs. Written from the packages'
documentation; a word missing here makes a correct formula an error, so the list errs on
the side of more.
"""

from __future__ import annotations

_GREEK = """alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa
lambda mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega digamma
Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega varGamma varDelta varTheta varLambda
varXi varPi varSigma varUpsilon varPhi varPsi varOmega"""

_SYMBOLS = """aleph beth gimel daleth hbar hslash imath jmath ell wp Re Im partial infty prime
backprime emptyset varnothing nabla surd top bot angle measuredangle sphericalangle triangle
triangledown square blacksquare lozenge blacklozenge blacktriangle blacktriangledown
bigstar forall exists nexists neg lnot flat natural sharp clubsuit diamondsuit heartsuit
spadesuit diagup diagdown Bbbk complement eth mho Finv Game circledS checkmark maltese yen
dag ddag S P copyright pounds dots ldots cdots vdots ddots dotsc dotsb dotsm dotsi dotso
colon vert Vert mid nmid parallel nparallel shortmid nshortmid shortparallel nshortparallel
backslash setminus smallsetminus lbrace rbrace langle rangle lceil rceil lfloor rfloor
lvert rvert lVert rVert lgroup rgroup lmoustache rmoustache ulcorner urcorner llcorner
lrcorner uparrow downarrow updownarrow Uparrow Downarrow Updownarrow"""

_OPERATORS = """pm mp times div cdot ast star circ bullet oplus ominus otimes oslash odot bigcirc
dagger ddagger amalg cap cup uplus sqcap sqcup vee wedge land lor setminus wr diamond
bigtriangleup bigtriangledown triangleleft triangleright lhd rhd unlhd unrhd dotplus
ltimes rtimes leftthreetimes rightthreetimes curlywedge curlyvee barwedge veebar
doublebarwedge boxplus boxminus boxtimes boxdot circleddash circledast circledcirc
centerdot intercal Cap Cup doublecap doublecup divideontimes sum prod coprod int iint iiint
iiiint idotsint oint bigcap bigcup bigsqcup bigvee bigwedge bigodot bigotimes bigoplus
biguplus smallint"""

_RELATIONS = """leq le geq ge neq ne equiv approx approxeq sim simeq cong asymp doteq doteqdot
propto prec succ preceq succeq ll gg lll ggg subset supset subseteq supseteq sqsubset
sqsupset sqsubseteq sqsupseteq in ni notin owns vdash dashv models perp smile frown bowtie
Join leqq geqq leqslant geqslant eqslantless eqslantgtr lesssim gtrsim lessapprox
gtrapprox lessdot gtrdot lessgtr gtrless lesseqgtr gtreqless lesseqqgtr gtreqqless
preccurlyeq succcurlyeq curlyeqprec curlyeqsucc precsim succsim precapprox succapprox
subseteqq supseteqq Subset Supset sqsubset vDash Vdash Vvdash varpropto therefore because
between pitchfork backsim backsimeq triangleq circeq bumpeq Bumpeq fallingdotseq
risingdotseq eqcirc thicksim thickapprox multimap shortmid blacktriangleleft
blacktriangleright vartriangle vartriangleleft vartriangleright trianglelefteq
trianglerighteq ntrianglelefteq ntrianglerighteq ntriangleleft ntriangleright
nless ngtr nleq ngeq nleqq ngeqq nleqslant ngeqslant lneq gneq lneqq gneqq lvertneqq
gvertneqq lnsim gnsim lnapprox gnapprox nprec nsucc npreceq nsucceq precneqq succneqq
precnsim succnsim precnapprox succnapprox nsim ncong nvdash nvDash nVdash nVDash
nsubseteq nsupseteq nsubseteqq nsupseteqq subsetneq supsetneq varsubsetneq varsupsetneq
subsetneqq supsetneqq varsubsetneqq varsupsetneqq not"""

_ARROWS = """leftarrow gets rightarrow to leftrightarrow Leftarrow Rightarrow Leftrightarrow
longleftarrow longrightarrow longleftrightarrow Longleftarrow Longrightarrow
Longleftrightarrow iff implies impliedby mapsto longmapsto hookleftarrow hookrightarrow
leftharpoonup leftharpoondown rightharpoonup rightharpoondown rightleftharpoons
leftrightharpoons nearrow searrow swarrow nwarrow leadsto dashrightarrow dashleftarrow
leftleftarrows leftrightarrows Lleftarrow twoheadleftarrow leftarrowtail looparrowleft
curvearrowleft circlearrowleft Lsh upuparrows upharpoonleft downharpoonleft rightrightarrows
rightleftarrows Rrightarrow twoheadrightarrow rightarrowtail looparrowright curvearrowright
circlearrowright Rsh downdownarrows upharpoonright restriction downharpoonright
rightsquigarrow leftrightsquigarrow nleftarrow nrightarrow nLeftarrow nRightarrow
nleftrightarrow nLeftrightarrow xleftarrow xrightarrow"""

_FUNCTIONS = """arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg
lim liminf limsup ln log max min Pr sec sin sinh sup tan tanh injlim projlim varinjlim
varprojlim varliminf varlimsup operatorname mod bmod pmod pod"""

_STRUCTURE = """frac dfrac tfrac cfrac binom dbinom tbinom genfrac sqrt root of over atop choose
brace brack above left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl
Biggr bigm Bigm biggm Biggm overline underline overbrace underbrace overset underset stackrel
overleftarrow overrightarrow overleftrightarrow underleftarrow underrightarrow
underleftrightarrow widehat widetilde hat tilde bar vec dot ddot dddot ddddot acute grave
breve check mathring boxed substack sideset limits nolimits displaylimits begin end
text textrm textbf textit textsf texttt textup textsl textsc textnormal textmd emph mbox
hbox vbox fbox makebox framebox raisebox parbox rule mathrm mathbf mathit mathsf mathtt
mathcal mathbb mathfrak mathnormal mathbf boldsymbol pmb displaystyle textstyle scriptstyle
scriptscriptstyle rm bf it sf tt cal mit quad qquad enspace enskip thinspace negthinspace
medspace negmedspace thickspace negthickspace hspace hspace vspace hfill hfil kern mkern
mskip hskip phantom hphantom vphantom smash mathstrut strut label tag notag nonumber ref
eqref cr hline cline intertext shortintertext displaybreak allowbreak nobreak newline
linebreak color textcolor colorbox fcolorbox definecolor mathop mathbin mathrel mathopen
mathclose mathpunct mathord mathinner mathchoice relax ensuremath underbar lefteqn
centering raggedright raggedleft tiny scriptsize footnotesize small normalsize large Large
LARGE huge Huge textbackslash textasciitilde textasciicircum textdollar textunderscore
textbraceleft textbraceright textquoteleft textquoteright textendash textemdash
textbullet textperiodcentered dag ddag ss ae AE oe OE aa AA o O l L i j ldots dots TeX
LaTeX LaTeXe today url href nicefrac xleftarrow xrightarrow arraystretch arraycolsep
tabcolsep multicolumn multirow noindent ignorespaces protect unskip space nobreakspace
nolinebreak hat iff mathellipsis textellipsis upshape itshape bfseries mdseries slshape
scshape rmfamily sffamily ttfamily normalfont em cdotp ldotp joinrel Relbar relbar
mathsterling vphantom hphantom llap rlap mathllap mathrlap clap mathclap raise lower
moveleft moveright char mathchar mathcode delimiter hbar imath jmath ensuremath bmod
fracwithdelims abovewithdelims overwithdelims atopwithdelims buildrel cases matrix
pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix hdotsfor dotsfor arrowvert
Arrowvert bracevert lbrack rbrack gt lt ne ge le AmS footnote"""

_SPACING_SYMBOLS = """i j"""

#: every control word known without the post's help
LATEX_MATH_NAMES = frozenset(" ".join(
    (_GREEK, _SYMBOLS, _OPERATORS, _RELATIONS, _ARROWS, _FUNCTIONS, _STRUCTURE,
     _SPACING_SYMBOLS)).split())
