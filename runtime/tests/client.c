/* client.c - a minimal socket client for runtime/tests/run.sh.
 *   client SOCK send FILE     send FILE, shut down writing, print the reply
 *   client SOCK nosd FILE     send FILE, keep writing open, print the reply
 *                             (the server must see the request is complete)
 *   client SOCK trunc FILE    send FILE and close without reading
 *   client SOCK idle          send nothing, print the reply (a timeout)
 *   client SOCK connect       print "connected" or why connect failed
 * Exits 0 when it printed a reply (or connected), 1 otherwise. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
  static char buf[1 << 17];
  if (argc < 3)
    return 2;
  struct sockaddr_un a = {.sun_family = AF_UNIX};
  snprintf(a.sun_path, sizeof a.sun_path, "%s", argv[1]);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
    printf("connect: %s\n", strerror(errno));
    return 1;
  }
  const char *mode = argv[2];
  if (!strcmp(mode, "connect")) {
    printf("connected\n");
    return 0;
  }
  if (argc > 3) {
    int fd = open(argv[3], O_RDONLY);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf);
    if (n < 0)
      return 1;
    /* A server that refuses at once (another uid) closes before reading:
     * the send fails, but its reply is still there to read. */
    if (send(s, buf, (size_t)n, MSG_NOSIGNAL) != n)
      fprintf(stderr, "send: %s\n", strerror(errno));
  }
  if (!strcmp(mode, "trunc"))
    return close(s) != 0;
  if (!strcmp(mode, "send"))
    shutdown(s, SHUT_WR);
  size_t got = 0;
  ssize_t k;
  while (got < sizeof buf - 1 && (k = recv(s, buf + got, sizeof buf - 1 - got, 0)) > 0)
    got += (size_t)k;
  buf[got] = 0;
  fputs(buf, stdout);
  return got == 0;
}
