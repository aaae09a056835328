/*
 * The kernel's floor for a fan-out: accept N loopback connections, then every 33 ms write SIZE bytes
 * to each with write(2), ROUNDS times; print the median and p90 microseconds per write of a round.
 * usage: writer N PORT SIZE ROUNDS
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}
static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}
int main(int argc, char **argv) {
  if (argc < 5) return 2;
  int n = atoi(argv[1]), port = atoi(argv[2]), size = atoi(argv[3]), rounds = atoi(argv[4]), one = 1;
  int l = socket(AF_INET, SOCK_STREAM, 0);
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(0x7f000001);
  if (bind(l, (void *)&a, sizeof a) || listen(l, 4096)) return perror("listen"), 1;
  printf("listening\n");
  fflush(stdout);
  int *fd = malloc(n * sizeof *fd);
  for (int i = 0; i < n; i++) {
    fd[i] = accept(l, 0, 0);
    setsockopt(fd[i], IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd[i], F_SETFL, O_NONBLOCK);
  }
  char *buf = malloc(size);
  memset(buf, 7, size);
  double *per = malloc(rounds * sizeof *per);
  for (int k = 0; k < rounds; k++) {
    double t0 = now_us();
    for (int i = 0; i < n; i++) (void)!write(fd[i], buf, size);
    per[k] = (now_us() - t0) / n;
    usleep(33000);
  }
  int skip = rounds / 10; /* warm-up */
  qsort(per + skip, rounds - skip, sizeof *per, cmp);
  printf("{\"p50\":%.2f,\"p90\":%.2f}\n", per[skip + (rounds - skip) / 2], per[skip + (rounds - skip) * 9 / 10]);
  return 0;
}
