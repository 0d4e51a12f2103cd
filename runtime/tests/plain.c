/* plain.c - a program that knows nothing of hotast: no API calls, only
 * built to be patchable. run.sh starts it with LD_PRELOAD=libhotast-rt.so
 * and patches it through the socket. Logs each change of value() to argv[1]
 * until argv[1].stop appears (at most 15 s). */
#include <stdio.h>
#include <unistd.h>

int value(void) { return 1; }

int main(int argc, char **argv) {
  char stop[4096];
  FILE *log = argc == 2 ? fopen(argv[1], "w") : NULL;
  if (!log)
    return 2;
  snprintf(stop, sizeof stop, "%s.stop", argv[1]);
  int last = 0;
  for (int i = 0; i < 15000 && access(stop, F_OK) != 0; i++) {
    int v = value();
    if (v != last) {
      fprintf(log, "value %d\n", v);
      fflush(log);
      last = v;
    }
    usleep(1000);
  }
  return fclose(log) != 0;
}
