/* patches.c - the patch libraries of the runtime tests, one per -D:
 *   -DSYM=value_v2 -DV=2   a new `int value(void)` returning V
 *   -DBENCH                f0_new .. f9_new for the 10-function timing
 *   -DNEEDS_DEP            value_v9, linked against a library run.sh deletes,
 *                          so the .dynsym check passes and dlopen fails */
#ifdef BENCH
#define F(n) int f##n##_new(void) { return 100 + n; }
F(0) F(1) F(2) F(3) F(4) F(5) F(6) F(7) F(8) F(9)
#elif defined(NEEDS_DEP)
int dep_value(void);
int value_v9(void) { return dep_value(); }
#elif defined(DEP)
int dep_value(void) { return 9; }
#else
int SYM(void) { return V; }
#endif
