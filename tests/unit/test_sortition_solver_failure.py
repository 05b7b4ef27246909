"""A solver that cannot run is said as such, never as quotas that cannot be met."""

import subprocess
import sys
import textwrap


def test_a_solver_that_cannot_run_is_not_reported_as_unmet_quotas():
    # HiGHS keeps one task scheduler per process, sized by the first model run: a later model asking for
    # another thread count fails to run. Shown in a process of its own, so no other test inherits it.
    script = textwrap.dedent(
        """
        import highspy, numpy as np
        from domain.insight.sortition import Quota, draw_panel
        other = highspy.Highs()
        other.setOptionValue("output_flag", False)
        other.setOptionValue("threads", 2)
        other.addVars(1, np.zeros(1), np.ones(1))
        other.run()
        pool = {f"k{i:02d}": {"area": "PQR"[i % 3]} for i in range(30)}
        try:
            draw_panel(pool, [Quota("area", "P", 2, 4)], 7, seed=1)
        except Exception as error:
            print(type(error).__name__, error)
        else:
            print("drawn")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)  # noqa: S603 - our own script
    said = done.stdout.strip().splitlines()[-1]  # after HiGHS's banner
    failed = "SolverFailed The panel could not be drawn: the solver failed to run. Nothing was recorded; try again."
    assert said == failed, said + done.stderr[-2000:]
