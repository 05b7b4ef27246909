"""Drawing community panels fairly: fair sortition by leximin, on a free solver.

A panel is a set of members whose make-up meets quotas over profile attributes (area, age band, ...).
Among all lotteries over quota-meeting panels, the trust uses the *leximin* one (Flanigan, Gölz, Gupta,
Hennig, Procaccia, "Fair algorithms for selecting citizens' assemblies", Nature 2021): the lowest
selection probability of any member is as high as it can be, then the second lowest, and so on.

Members with the same values for the quota attributes ("a type") are interchangeable, and the leximin
lottery is unique, so every member of a type has the same chance. Everything is therefore computed over
*compositions* (how many of each type a panel has), which keeps 20,000-member pools small problems.

Which library does what, and why:

- **HiGHS** (``highspy``, MIT licence, free) solves every LP and MIP: the composition MIP (feasibility,
  the column-generation pricing, the blocking-quota explanations) and the leximin dual and final LPs.
  It runs single-threaded with a fixed random seed, so a trustee re-running a draw gets the same panel.
- **numpy** carries the solver's vectors.
- The Sortition Foundation's **sortition-algorithms** implements leximin only on Gurobi (not licensable
  here), so it is not a runtime dependency; the tests use its HiGHS *maximin* to cross-check our lowest
  probability on small pools.

How: the leximin over the quotas' LP relaxation first (``relaxation``: an upper bound, milliseconds),
then column generation for a lottery that reaches it, which makes that lottery leximin-optimal with no
MIP to prove it; only where no lottery reaches it do the leximin stages run (``leximin``).

Tolerances: compositions must improve the dual by 1e-9 to enter; types are fixed when their dual weight
exceeds 1e-9; the MIP's relative gap is 1e-9; a lottery reaches the relaxation's leximin when every type
has at least 1 - 1e-8 of its target; the lottery is rounded to a 1e-9 grid. The probabilities
reported are the exact marginals of the lottery actually sampled (they sum to the panel size); they are
leximin-optimal to within about 1e-7.
"""

from domain.insight.sortition.deadline import DrawTooSlow, time_limit
from domain.insight.sortition.feasibility import check_quotas
from domain.insight.sortition.greedy import GreedyStratified, greedy_stratified_draw
from domain.insight.sortition.lottery import ALGORITHM, Draw, Lottery, draw_panel, selection_probabilities
from domain.insight.sortition.nearest import QuotaChange, nearest_quotas
from domain.insight.sortition.quiet import make_the_first_solver_quietly
from domain.insight.sortition.quotas import Quota, QuotasCannotBeMet
from domain.insight.sortition.report import DrawReport, draw_report, gini, solver_name
from domain.insight.sortition.reserves import first_suitable_reserve, meets_quotas, reserve_order, unmet

make_the_first_solver_quietly()  # no module makes a solver as it is imported: this one is the first

__all__ = [
    "ALGORITHM",
    "Draw",
    "DrawReport",
    "DrawTooSlow",
    "GreedyStratified",
    "Lottery",
    "Quota",
    "QuotaChange",
    "QuotasCannotBeMet",
    "check_quotas",
    "draw_panel",
    "draw_report",
    "first_suitable_reserve",
    "gini",
    "greedy_stratified_draw",
    "meets_quotas",
    "nearest_quotas",
    "reserve_order",
    "selection_probabilities",
    "solver_name",
    "time_limit",
    "unmet",
]
