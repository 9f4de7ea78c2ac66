/* timer_cost.c: what the sampling timer costs by itself, apart from tracejit's handler
 * (docs/profiler.md, "Overhead at 1 kHz").
 *
 *   cc -O2 -o /tmp/timer_cost bench/tools/timer_cost.c && /tmp/timer_cost [iterations [reps [period_ns]]]
 *
 * A fixed amount of register-only work runs `reps` times under each of five arrangements,
 * interleaved run by run so that the machine's drift hits all of them alike:
 *   none         no timer
 *   refresh      CSampler's timer until 2026-11-22: perf task clock (1 kHz, or 1e9/period_ns),
 *                SIGPROF to the thread, one overflow at a time, re-armed from a handler that does
 *                nothing else
 *   free         the same event left running (no re-arm system call in the handler): CSampler's
 *                timer now
 *   no-signal    the same event counting and overflowing with no signal attached (the kernel's
 *                hrtimer alone)
 *   itimer       setitimer(ITIMER_PROF) asked for 1 kHz (the scheduler tick gives 250 Hz here)
 * Each run's thread CPU time is divided by that of the `none` run of the same round; the median
 * of these ratios and its quartiles are printed, with the cost per signal (or per period) they
 * imply. On a VM whose speed varies 2x from run to run, only such paired figures mean anything.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

enum { NONE, REFRESH, FREE, NO_SIGNAL, ITIMER, MODES };
static const char *mode_names[MODES] = {"none", "refresh", "free", "no-signal", "itimer"};
static int current_fd = -1, current_mode;
static long period_ns = 1000000; /* 1 kHz; argv[3] amplifies the per-event cost */
static volatile long signals;

static uint64_t thread_cpu_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void on_sigprof(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)si, (void)uc;
  signals++;
  if (current_mode == REFRESH) ioctl(current_fd, PERF_EVENT_IOC_REFRESH, 1);
}

static double work(long n) {
  double y = 0;
  for (long i = 0; i < n; i++) {
    y += (double)i * 1.0000001;
    if (y > 1e12) y = 0;
  }
  return y;
}

static int open_timer(int with_signal) {
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.type = PERF_TYPE_SOFTWARE;
  a.config = PERF_COUNT_SW_TASK_CLOCK;
  a.sample_period = (uint64_t)period_ns;
  a.disabled = 1;
  a.exclude_kernel = 1;
  a.exclude_hv = 1;
  a.wakeup_events = 1;
  int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
  if (fd < 0) { perror("perf_event_open"); exit(1); }
  if (with_signal) {
    struct f_owner_ex o = {F_OWNER_TID, (pid_t)syscall(SYS_gettid)};
    fcntl(fd, F_SETFL, O_ASYNC | O_NONBLOCK);
    fcntl(fd, F_SETSIG, SIGPROF);
    fcntl(fd, F_SETOWN_EX, &o);
  }
  return fd;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 100000000;
  int reps = argc > 2 ? atoi(argv[2]) : 151;
  if (reps < 4) reps = 4;
  if (argc > 3 && atol(argv[3]) >= 10000) period_ns = atol(argv[3]);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigprof;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGPROF, &sa, NULL);

  double *ms = calloc((size_t)MODES * (size_t)reps, sizeof *ms);
  double *events = calloc((size_t)MODES * (size_t)reps, sizeof *events);
  volatile double sink = 0;
  for (int r = 0; r < reps; r++) {
    for (int m = 0; m < MODES; m++) {
      /* A fresh event per run: PERF_EVENT_IOC_REFRESH adds to an overflow budget nothing takes
       * back, so a reused `refresh` event would drift into running free. The free-running event
       * gets a budget it will never spend. */
      int fd = m == REFRESH || m == FREE ? open_timer(1) : m == NO_SIGNAL ? open_timer(0) : -1;
      current_mode = m;
      current_fd = fd;
      signals = 0;
      if (m == NO_SIGNAL) {
        ioctl(fd, PERF_EVENT_IOC_ENABLE, 0);  /* no budget: it never disables itself */
      } else if (fd >= 0) {
        ioctl(fd, PERF_EVENT_IOC_REFRESH, m == FREE ? 1 << 30 : 1);
      } else if (m == ITIMER) {
        struct itimerval it = {{0, period_ns / 1000}, {0, period_ns / 1000}};
        setitimer(ITIMER_PROF, &it, NULL);
      }
      uint64_t t0 = thread_cpu_ns();
      sink += work(n);
      uint64_t t1 = thread_cpu_ns();
      if (fd >= 0) ioctl(fd, PERF_EVENT_IOC_DISABLE, 0);
      if (m == ITIMER) {
        struct itimerval zero;
        memset(&zero, 0, sizeof zero);
        setitimer(ITIMER_PROF, &zero, NULL);
      }
      double ev = (double)signals;
      if (m == NO_SIGNAL) { /* no signals to count: the periods the event counted */
        uint64_t count = 0;
        if (read(fd, &count, sizeof count) == (ssize_t)sizeof count) ev = (double)count / (double)period_ns;
      }
      if (fd >= 0) close(fd);
      ms[m * reps + r] = (double)(t1 - t0) / 1e6;
      events[m * reps + r] = ev;
    }
  }
  printf("%d rounds of %ld iterations; paired against `none` in the same round\n", reps, n);
  printf("%-10s %9s %9s %9s %11s %22s %14s\n", "timer", "min ms", "median ms", "events", "overhead", "quartiles", "per event");
  double *ratio = calloc((size_t)reps, sizeof *ratio), *sorted = calloc((size_t)reps, sizeof *sorted);
  for (int m = 0; m < MODES; m++) {
    double ev = 0;
    for (int r = 0; r < reps; r++) {
      ratio[r] = ms[m * reps + r] / ms[NONE * reps + r];
      sorted[r] = ms[m * reps + r];
      ev += events[m * reps + r];
    }
    ev /= reps;
    qsort(ratio, (size_t)reps, sizeof *ratio, cmp_double);
    qsort(sorted, (size_t)reps, sizeof *sorted, cmp_double);
    double med = ratio[reps / 2] - 1, median_ms = sorted[reps / 2];
    char quart[64];
    snprintf(quart, sizeof quart, "%+.2f .. %+.2f%%", 100 * (ratio[reps / 4] - 1), 100 * (ratio[3 * reps / 4] - 1));
    if (m == NONE) {
      printf("%-10s %9.2f %9.2f %9s %11s %22s %14s\n", mode_names[m], sorted[0], median_ms, "-", "-", "-", "-");
    } else {
      printf("%-10s %9.2f %9.2f %9.0f %+10.2f%% %22s %11.1f us\n", mode_names[m], sorted[0], median_ms, ev,
             100 * med, quart, ev > 0 ? med * median_ms * 1e3 / ev : 0.0);
    }
  }
  return sink == 42.0;
}
