/* The C baseline of the VMM hot-loop benchmark: a VM of one vCPU in real mode that makes EXITS port-I/O exits, and
 * the KVM_RUN loop that serves them. Compiled on the host against headers/v7.3 (gcc -I headers/v7.3), run in the
 * bench guest (nested KVM) and, by bench/vmm/host.mjs, on the host's own /dev/kvm. test/kernel/guest/bench-vmm-ts.ts
 * is the same VM and loop in TypeScript.
 *
 *   kvm-loop < rounds
 *
 * For each line read from stdin, a number EXITS: the vCPU is set to run the guest code below from its start with
 * RCX = EXITS, the loop serves its exits until it halts, and one line of output gives the ns per exit (the HLT
 * exit counted as one). Ends at the end of its input. One process serves every round of the benchmark, so that
 * the rounds of the two sides can alternate closely (test/kernel/guest/bench-child.ts).
 *
 * The guest code, at guest-physical 0x1000 (CS = 0, IP = 0x1000, RCX = EXITS, RAX = 0):
 *   1000: e6 10     out  0x10, al     ; an exit: KVM_EXIT_IO, out, port 0x10, one byte
 *   1002: fe c0     inc  al
 *   1004: 66 49     dec  ecx
 *   1006: 75 f8     jnz  1000
 *   1008: f4        hlt               ; the last exit: KVM_EXIT_HLT
 * The loop checks every exit (reason, direction, port, size, count, and that the byte is the one the guest counts
 * up) as a VMM would before serving it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/kvm.h>

static const unsigned char code[] = { 0xe6, 0x10, 0xfe, 0xc0, 0x66, 0x49, 0x75, 0xf8, 0xf4 };
enum { MEMORY = 0x10000, CODE_AT = 0x1000, PORT = 0x10 };

static void die(const char *what) {
  fprintf(stderr, "kvm-loop: %s: %s\n", what, strerror(errno));
  exit(1);
}

static double round_of(int vcpu, struct kvm_run *run, unsigned long exits);

static void wrong(const char *what, unsigned long long got, unsigned long long exits) {
  fprintf(stderr, "kvm-loop: exit %llu: unexpected %s %llu\n", exits, what, got);
  exit(1);
}

int main(int argc, char **argv) {
  (void)argv;
  if (argc != 1) {
    fprintf(stderr, "usage: kvm-loop < rounds\n");
    return 2;
  }
  int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm < 0) die("/dev/kvm");
  int vm = ioctl(kvm, KVM_CREATE_VM, 0);
  if (vm < 0) die("KVM_CREATE_VM");
  unsigned char *memory = mmap(NULL, MEMORY, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) die("mmap");
  memcpy(memory + CODE_AT, code, sizeof code);
  struct kvm_userspace_memory_region region = { .slot = 0, .guest_phys_addr = 0, .memory_size = MEMORY, .userspace_addr = (__u64)(unsigned long)memory };
  if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region)) die("KVM_SET_USER_MEMORY_REGION");
  int vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
  if (vcpu < 0) die("KVM_CREATE_VCPU");
  int size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
  if (size < 0) die("KVM_GET_VCPU_MMAP_SIZE");
  struct kvm_run *run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
  if (run == MAP_FAILED) die("mmap of kvm_run");
  struct kvm_sregs sregs;
  if (ioctl(vcpu, KVM_GET_SREGS, &sregs)) die("KVM_GET_SREGS");
  sregs.cs.base = 0;
  sregs.cs.selector = 0;
  if (ioctl(vcpu, KVM_SET_SREGS, &sregs)) die("KVM_SET_SREGS");
  unsigned long exits;
  while (scanf("%lu", &exits) == 1 && exits > 0) {
    if (exits > 0xffffffffUL) {
      fprintf(stderr, "kvm-loop: EXITS is 1 to 2^32-1\n");
      return 2;
    }
    printf("%.1f\n", round_of(vcpu, run, exits));
    fflush(stdout);
  }
  return 0;
}

/* One round: the guest code from its start with RCX = exits, served until HLT; returns the ns per exit. */
static double round_of(int vcpu, struct kvm_run *run, unsigned long exits) {
  struct kvm_regs regs = { .rip = CODE_AT, .rflags = 2, .rcx = exits, .rax = 0 };
  if (ioctl(vcpu, KVM_SET_REGS, &regs)) die("KVM_SET_REGS");
  unsigned long long seen = 0;
  unsigned char expect = 0;
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  for (;;) {
    if (ioctl(vcpu, KVM_RUN, 0)) die("KVM_RUN");
    if (run->exit_reason == KVM_EXIT_HLT) break;
    if (run->exit_reason != KVM_EXIT_IO) wrong("exit reason", run->exit_reason, seen);
    if (run->io.direction != KVM_EXIT_IO_OUT) wrong("direction", run->io.direction, seen);
    if (run->io.port != PORT) wrong("port", run->io.port, seen);
    if (run->io.size != 1 || run->io.count != 1) wrong("size", run->io.size, seen);
    unsigned char data = ((unsigned char *)run)[run->io.data_offset];
    if (data != expect) wrong("byte", data, seen);
    expect++;
    seen++;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (seen != exits) wrong("number of port-I/O exits", seen, seen);
  return ((b.tv_sec - a.tv_sec) * 1e9 + (b.tv_nsec - a.tv_nsec)) / (double)(exits + 1);
}
