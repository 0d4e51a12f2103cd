/* snapshot.c - the app's state across a restart (run.sh, "snapshot").
 *   snapshot save      registers a save function, asks `snapshot`, prints
 *                      the file's path
 *   snapshot nohook    asks `snapshot` without a save function: refused
 *   snapshot restore   calls hotast_rt_restore; prints its result and the
 *                      bytes restored
 */
#include "hotast/rt.h"

#include <stdio.h>
#include <string.h>

static const char state[] = "text=Ada\ncounter=3\n";

static int save(void *user, const void **data, size_t *size) {
  (void)user;
  *data = state;
  *size = sizeof state - 1;
  return 0;
}

static int restore(void *user, const void *data, size_t size) {
  (void)user;
  printf("restored %zu bytes: %.*s", size, (int)size, (const char *)data);
  return 0;
}

int main(int argc, char **argv) {
  char reply[HOTAST_RT_REPLY_MAX];
  if (argc == 2 && strcmp(argv[1], "save") == 0) {
    hotast_rt_on_snapshot(save, NULL);
    if (hotast_rt_apply("status", reply, sizeof reply) != 0 || !strstr(reply, "\"snapshot\":true"))
      return printf("status: %s\n", reply), 1;
    if (hotast_rt_apply("snapshot", reply, sizeof reply) != 0)
      return printf("snapshot refused: %s\n", reply), 1;
    char *p = strstr(reply, "\"snapshot\":\"");
    if (!p)
      return 1;
    p += strlen("\"snapshot\":\"");
    *strchr(p, '"') = 0;
    printf("%s\n", p);
    return 0;
  }
  if (argc == 2 && strcmp(argv[1], "nohook") == 0) {
    int rc = hotast_rt_apply("snapshot", reply, sizeof reply);
    printf("%s\n", reply);
    return rc == -1 && strstr(reply, "registered no snapshot") ? 0 : 1;
  }
  if (argc == 2 && strcmp(argv[1], "restore") == 0) {
    int rc = hotast_rt_restore(restore, NULL);
    printf("result %d\n", rc);
    return 0;
  }
  return 2;
}
