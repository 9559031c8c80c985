"""Giving a talk: presentation mode and the stage tools that go with it.

presentation.py (F11: enter, fit, leave exactly), layout.py (what is hidden and put back),
presets.py and fit.py (projector font presets, measured), quiet.py (no pop-ups on stage),
keystrokes.py (the overlay), spotlight.py, blank.py and stage_keys.py (B and "." from a
clicker), state.py (the model others watch). Widgets live in qt/ (blank_screen.py,
keystroke_view.py).
"""
