"""HiGHS prints its banner ("Running HiGHS 1.16.0 ... Copyright") to the process's standard output
the first time any solver is made, before an option can turn its output off; in `make run` and in a
server's log that is noise. Making the first solver once here, with standard output pointed at
/dev/null for that moment, leaves every later solver (output_flag off) silent."""

import os
import sys

import highspy


def make_the_first_solver_quietly() -> None:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as nowhere:
            os.dup2(nowhere.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
