"""The debugger's rows of the action table, and which command each step sends.

Apart from ``python_debugger`` because the table is read when the window is built: this
module costs nothing to import, while the debugger itself (its channel, ``bdb`` for the
constants) is loaded the first time Debug is pressed.
"""

from __future__ import annotations

from presenter.qt.actions import ActionSpec

DEBUG = "python.debug"
CONTINUE = "python.continue"
STEP_OVER = "python.step_over"
STEP_INTO = "python.step_into"
STEP_OUT = "python.step_out"
# The action ids that resume a paused program, and the channel command each sends.
RESUME = {CONTINUE: "continue", STEP_OVER: "step_over", STEP_INTO: "step_into",
          STEP_OUT: "step_out"}
# What the pane's buttons say under their icons (the menus say it in full).
BUTTON_TEXT = {CONTINUE: "Continue", STEP_OVER: "Over", STEP_INTO: "Into", STEP_OUT: "Out",
               "run.stop": "Stop"}


def debug_actions() -> list[ActionSpec]:
    """The debugger's rows of the action table.

    Keys: F6 is Debug as in Mu (F5 is already Run); the step keys are the common ones where
    they are free: F10 step over (Visual Studio, VS Code, Mu), F7 step into and F8 continue
    (Thonny, PyCharm, browsers' dev tools), because VS Code's F11 is presentation mode here;
    Shift+F7 steps out, paired with step into. Stop is the window's Stop (Shift+F5, or the
    Run button, which reads Stop while the program runs).
    """
    return [
        ActionSpec(DEBUG, "&Debug", ("F6",), "debug",
                   "Run this file in the debugger: stop at breakpoints, step, see the variables",
                   True, menu="Run"),
        ActionSpec(CONTINUE, "&Continue", ("F8",), "continue",
                   "Run on to the next breakpoint", menu="Run"),
        ActionSpec(STEP_OVER, "Step &Over", ("F10",), "step-over",
                   "Run this line, stop at the next one", menu="Run"),
        ActionSpec(STEP_INTO, "Step &Into", ("F7",), "step-into",
                   "Go into the function this line calls", menu="Run"),
        ActionSpec(STEP_OUT, "Step O&ut", ("Shift+F7",), "step-out",
                   "Finish this function, stop where it was called from", menu="Run"),
    ]
