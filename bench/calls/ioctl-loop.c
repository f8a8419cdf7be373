/* The C baseline of the call benchmarks: the same ioctl on the same argument bytes, in a tight loop.
 *
 *   ioctl-loop PATH ITERATIONS ROUNDS EXPECT_ERRNO REQUEST HEXARG [REQUEST2 HEXARG2 FROM TO]
 *
 * HEXARG is the argument struct as the Node side encoded it. Each call must fail with EXPECT_ERRNO, or succeed
 * when it is 0; anything else ends the program (exit 1), so the loop times the intended call. With a second
 * request, each iteration makes both calls and copies the __u32 at byte FROM of the first argument to byte TO
 * of the second (IOAS_ALLOC's out_ioas_id into DESTROY's id). Prints the median ns per call over ROUNDS. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static size_t unhex(const char *s, unsigned char *out, size_t cap) {
  size_t n = strlen(s) / 2;
  if (n > cap) exit(2);
  for (size_t i = 0; i < n; i++) sscanf(s + 2 * i, "%2hhx", &out[i]);
  return n;
}

static void check(int rc, int expect, long i) {
  if (expect ? rc != -1 || errno != expect : rc != 0) {
    fprintf(stderr, "ioctl-loop: call %ld: rc %d errno %d, expected %d\n", i, rc, errno, expect);
    exit(1);
  }
}

int main(int argc, char **argv) {
  if (argc != 7 && argc != 11) {
    fprintf(stderr, "usage: ioctl-loop PATH ITERATIONS ROUNDS EXPECT_ERRNO REQUEST HEXARG [REQUEST2 HEXARG2 FROM TO]\n");
    return 2;
  }
  long n = strtol(argv[2], NULL, 0);
  int rounds = atoi(argv[3]);
  int expect = atoi(argv[4]);
  unsigned long req1 = strtoul(argv[5], NULL, 0), req2 = 0;
  static unsigned char arg1[4096], arg2[4096];
  unhex(argv[6], arg1, sizeof arg1);
  size_t from = 0, to = 0;
  if (argc == 11) {
    req2 = strtoul(argv[7], NULL, 0);
    unhex(argv[8], arg2, sizeof arg2);
    from = strtoul(argv[9], NULL, 0);
    to = strtoul(argv[10], NULL, 0);
  }
  int fd = open(argv[1], O_RDWR);
  if (fd < 0) {
    perror(argv[1]);
    return 1;
  }
  double *ns = calloc(rounds, sizeof *ns);
  for (int r = 0; r < rounds; r++) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) {
      check(ioctl(fd, req1, arg1), expect, i);
      if (req2) {
        memcpy(arg2 + to, arg1 + from, 4);
        check(ioctl(fd, req2, arg2), expect, i);
      }
    }
    clock_gettime(CLOCK_MONOTONIC, &b);
    ns[r] = ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (double)(req2 ? 2 * n : n);
  }
  qsort(ns, rounds, sizeof *ns, cmp);
  printf("%.1f\n", rounds % 2 ? ns[rounds / 2] : (ns[rounds / 2 - 1] + ns[rounds / 2]) / 2);
  return 0;
}
