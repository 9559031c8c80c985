"""The workbench: editing behaviour that joins the Qt-free core to the widgets.

Modes own running code; the workbench owns everything a file goes through (open, save,
close, reload, autosave, recovery, session restore) and the look (zoom, theme). Each job
is a module of its own so a newcomer can find it by name.
"""
