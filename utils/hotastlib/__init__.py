"""What hotast's scripts (utils/bench, utils/difftest, ...) share: the one
reader of each format hotast writes for people and that the scripts read.

  decisionlog  HOTAST_LOGFILE, the decision log: a line per decision or note.
"""
