/* The C baseline of the guest-RAM mapping benchmark: IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP of one mmap'd buffer, each
 * in one call, in a loop. Compiled on the host against headers/v7.3 (gcc -I headers/v7.3), run in the guest.
 *
 *   map-loop MIB PAGE_KIB MOCK
 *
 * MIB: the buffer's size; PAGE_KIB: 4 (anonymous memory) or 2048 (MAP_HUGETLB | MAP_HUGE_2MB, from the hugetlb
 * pool); MOCK: 1 attaches a selftest mock device to the IOAS first (IOMMU_TEST_OP_MOCK_DOMAIN), so that a map pins
 * the pages and maps them into its domain, 0 leaves the IOAS without a domain. One pair is made and not timed (it
 * faults the buffer in). Then, for each line read from stdin, a number PAIRS: PAIRS pairs, each timed, and one line
 * of output with the ns of each pair, in order. Ends at the end of its input. One process serves every round of the
 * benchmark, so that the rounds of the two sides can alternate closely (test/kernel/guest/bench-child.ts). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/iommufd.h>
#include <iommufd_test.h>

#ifndef MAP_HUGE_2MB
#define MAP_HUGE_2MB (21 << 26)
#endif

static void die(const char *what) {
  fprintf(stderr, "map-loop: %s: %s\n", what, strerror(errno));
  exit(1);
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* One IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP pair; returns its ns. */
static double pair(int fd, struct iommu_ioas_map *map, struct iommu_ioas_unmap *unmap, size_t length) {
  double t = now_ns();
  map->iova = 0;
  if (ioctl(fd, IOMMU_IOAS_MAP, map)) die("IOMMU_IOAS_MAP");
  unmap->iova = map->iova;
  if (ioctl(fd, IOMMU_IOAS_UNMAP, unmap)) die("IOMMU_IOAS_UNMAP");
  double ns = now_ns() - t;
  if (unmap->length != length) {
    fprintf(stderr, "map-loop: IOMMU_IOAS_UNMAP unmapped %llu bytes, not %zu\n", (unsigned long long)unmap->length, length);
    exit(1);
  }
  return ns;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: map-loop MIB PAGE_KIB MOCK < rounds\n");
    return 2;
  }
  size_t length = strtoul(argv[1], NULL, 0) << 20;
  long page_kib = strtol(argv[2], NULL, 0);
  int mock = atoi(argv[3]);
  if (page_kib != 4 && page_kib != 2048) {
    fprintf(stderr, "map-loop: PAGE_KIB is 4 or 2048\n");
    return 2;
  }

  int fd = open("/dev/iommu", O_RDWR);
  if (fd < 0) die("/dev/iommu");
  struct iommu_ioas_alloc alloc = { .size = sizeof alloc };
  if (ioctl(fd, IOMMU_IOAS_ALLOC, &alloc)) die("IOMMU_IOAS_ALLOC");
  if (mock) {
    struct iommu_test_cmd cmd = { .size = sizeof cmd, .op = IOMMU_TEST_OP_MOCK_DOMAIN, .id = alloc.out_ioas_id };
    if (ioctl(fd, IOMMU_TEST_CMD, &cmd)) die("IOMMU_TEST_OP_MOCK_DOMAIN");
  }
  int flags = MAP_PRIVATE | MAP_ANONYMOUS | (page_kib == 2048 ? MAP_HUGETLB | MAP_HUGE_2MB : 0);
  void *buffer = mmap(NULL, length, PROT_READ | PROT_WRITE, flags, -1, 0);
  if (buffer == MAP_FAILED) die("mmap");

  struct iommu_ioas_map map = {
    .size = sizeof map,
    .flags = IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
    .ioas_id = alloc.out_ioas_id,
    .user_va = (__u64)(unsigned long)buffer,
    .length = length,
  };
  struct iommu_ioas_unmap unmap = { .size = sizeof unmap, .ioas_id = alloc.out_ioas_id, .length = length };
  pair(fd, &map, &unmap, length); /* not timed: faults the buffer in */
  int pairs;
  while (scanf("%d", &pairs) == 1 && pairs > 0) {
    double *ns = calloc(pairs, sizeof *ns);
    for (int i = 0; i < pairs; i++) ns[i] = pair(fd, &map, &unmap, length);
    for (int i = 0; i < pairs; i++) printf("%s%.0f", i ? " " : "", ns[i]);
    printf("\n");
    fflush(stdout);
    free(ns);
  }
  return 0;
}
