/* Runs a command as a user would and prints what it cost: wall time and peak resident set, of the whole process.
 *
 *   rusage LOGFILE COMMAND [ARG...]
 *
 * The command's stdout and stderr go to LOGFILE. Prints "WALL_NS MAXRSS_KIB EXIT_STATUS" (status 128+N when
 * killed by signal N). A wrapper in C rather than /usr/bin/time: nothing to install, and wait4 gives the peak
 * RSS of exactly that process. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: rusage LOGFILE COMMAND [ARG...]\n");
    return 2;
  }
  int log = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (log < 0) {
    perror(argv[1]);
    return 2;
  }
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    return 2;
  }
  if (pid == 0) {
    dup2(log, 1);
    dup2(log, 2);
    execvp(argv[2], argv + 2);
    perror(argv[2]);
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &b);
  long long ns = (long long)(b.tv_sec - a.tv_sec) * 1000000000LL + (b.tv_nsec - a.tv_nsec);
  int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  printf("%lld %ld %d\n", ns, ru.ru_maxrss, code);
  return 0;
}
