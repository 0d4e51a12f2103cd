"""The differential tester behind utils/difftest (docs/soundness.md).

  lexer     where code is (outside comments and literals), directives, braces;
  mutators  the edit catalogue: seeded, text-level, each keeps the code valid;
  builds    the plain, hotast and ccache builds: configure, build, objects, decisions;
  tally     per-TU classification and the figures (stale, wasted, precision);
  repro     a failure's report and its minimized reproducer.
"""
