"""The backtest's page and figure: the model's predictions graded against history.

==========  ================================================================================
module      what it holds
==========  ================================================================================
view        the backtest read once for both: scored cases, calibration bins, the ROC curve
            and the scores as text with a verdict against each baseline
page        :func:`render_backtest`, one self-contained HTML page (Plotly inlined)
figure      :func:`write_backtest_figure`, calibration and ROC with matplotlib, for papers
==========  ================================================================================

Both take the :class:`~alliances.studies.backtest.Backtest` that the backtest returns, not
its JSON form. The conventions are those of :mod:`alliances.analysis.scoring`, whose
functions they use: a partial outcome counts as the label 0.5 in the scores and in the
observed rates, and is left out of the ROC curve and its AUC (it is neither a success nor
a failure).
"""

from alliances.report.backtest.figure import write_backtest_figure
from alliances.report.backtest.page import DEFAULT_TITLE, render_backtest

__all__ = ["DEFAULT_TITLE", "render_backtest", "write_backtest_figure"]
