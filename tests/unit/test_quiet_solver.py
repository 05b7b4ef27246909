"""`make run` loads the demo, whose panel draw makes HiGHS solvers: nothing of HiGHS's reaches the terminal."""

import subprocess
import sys


def test_making_solvers_prints_no_banner():
    code = "import domain.insight.sortition; import highspy; highspy.Highs(); print('done')"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert shown.stdout == "done\n" and "HiGHS" not in shown.stderr
