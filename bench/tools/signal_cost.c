/* signal_cost.c: the CPU cost of one timer-driven sample as the kernel delivers it to tracejit's
 * sampler, measured by amplification on a fixed amount of work (docs/profiler.md, "Overhead").
 *
 *   cc -O2 -o /tmp/signal_cost bench/tools/signal_cost.c && /tmp/signal_cost [reps [n [MB]]]
 *
 * The timer CSampler used until 2026-11-22 (perf_event_open on the thread's software task clock,
 * user time only, overflow routed as SIGPROF to the thread with F_SETSIG + F_SETOWN_EX, one
 * overflow at a time re-armed with PERF_EVENT_IOC_REFRESH from the handler; CSampler's event now
 * runs free, see timer_cost.c for both). The handler does what CSampler's then did besides
 * filling a ring slot: it reads CLOCK_THREAD_CPUTIME_ID (the weight) and re-arms;
 * with H=2 it also reads the clock a second time (the handler timing CSampler did until
 * 2026-11-22). The work is a loop of multiply-adds with a fixed iteration count, so its CPU time
 * only changes by what the signals cost (plus noise). Rates 0, 1, 5, 10 and 20 kHz run
 * interleaved, `reps` times each; the minimum thread CPU time per rate is kept (the run least
 * disturbed by neighbours), and the cost per signal is the slope of min time against signals
 * taken. Prints the slope in microseconds and what it makes at 1 kHz.
 *
 * With MB > 0 the work also reads a buffer of MB megabytes at pseudo-random places (an LCG), so
 * the work has a working set the signal path can evict from caches and TLB, as an interpreter's
 * heap and dispatch code are; the slope then includes that indirect cost.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int fd = -1;
static volatile uint64_t signals;
static int reads = 1;

static uint64_t cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void handler(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)uc;
  if (si->si_fd != fd) return;
  volatile uint64_t t = cpu_ns();
  if (reads > 1) t = cpu_ns() - t;
  signals++;
  ioctl(fd, PERF_EVENT_IOC_REFRESH, 1);
}

static int arm(int hz) {
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.type = PERF_TYPE_SOFTWARE;
  a.config = PERF_COUNT_SW_TASK_CLOCK;
  a.sample_period = 1000000000ull / (uint64_t)hz;
  a.exclude_kernel = 1;
  a.disabled = 1;
  a.wakeup_events = 1;
  fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) return -1;
  struct f_owner_ex o = {F_OWNER_TID, (pid_t)syscall(SYS_gettid)};
  fcntl(fd, F_SETFL, O_ASYNC);
  fcntl(fd, F_SETSIG, SIGPROF);
  fcntl(fd, F_SETOWN_EX, &o);
  ioctl(fd, PERF_EVENT_IOC_RESET, 0);
  return ioctl(fd, PERF_EVENT_IOC_REFRESH, 1);
}

static void disarm(void) {
  if (fd >= 0) { ioctl(fd, PERF_EVENT_IOC_DISABLE, 0); close(fd); fd = -1; }
}

static uint64_t *buf;
static uint64_t buf_words;

static double work(uint64_t n) {
  double x = 1.0;
  if (buf) {
    uint64_t k = 12345, acc = 0;
    for (uint64_t i = 0; i < n / 8; i++) {
      k = k * 6364136223846793005ull + 1442695040888963407ull;
      acc += buf[(k >> 17) % buf_words];
      x = x * 1.0000001 + 1e-9;
    }
    return x + (double)acc;
  }
  for (uint64_t i = 0; i < n; i++) x = x * 1.0000001 + 1e-9;
  return x;
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 9;
  uint64_t n = argc > 2 ? strtoull(argv[2], 0, 10) : 300000000ull;
  uint64_t mb = argc > 3 ? strtoull(argv[3], 0, 10) : 0;
  if (mb) {
    buf_words = mb * 1024 * 1024 / 8;
    buf = malloc(buf_words * 8);
    if (!buf) return 1;
    for (uint64_t i = 0; i < buf_words; i++) buf[i] = i * 2654435761u;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigaction(SIGPROF, &sa, 0);
  int rates[] = {0, 1000, 5000, 10000, 20000};
  enum { NR = sizeof rates / sizeof rates[0] };
  for (reads = 1; reads <= 2; reads++) {
    double best[NR], sig[NR];
    for (int r = 0; r < NR; r++) best[r] = 1e30, sig[r] = 0;
    volatile double sink = 0;
    for (int k = 0; k < reps; k++) {
      for (int j = 0; j < NR; j++) {
        int r = (k % 2) ? NR - 1 - j : j;
        signals = 0;
        if (rates[r] && arm(rates[r]) != 0) { perror("perf_event_open"); return 1; }
        uint64_t t0 = cpu_ns();
        sink += work(n);
        uint64_t t1 = cpu_ns();
        disarm();
        double s = (double)(t1 - t0) / 1e9;
        if (s < best[r]) { best[r] = s; sig[r] = (double)signals; }
      }
    }
    /* Least squares of best time against signals. */
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int r = 0; r < NR; r++) { sx += sig[r]; sy += best[r]; sxx += sig[r] * sig[r]; sxy += sig[r] * best[r]; }
    double slope = (NR * sxy - sx * sy) / (NR * sxx - sx * sx);
    printf("handler with %d clock read(s):\n", reads);
    for (int r = 0; r < NR; r++)
      printf("  %5d Hz: min %.4f s, %6.0f signals, %+.2f%% vs no timer\n", rates[r], best[r], sig[r],
             (best[r] / best[0] - 1) * 100);
    printf("  cost per signal (slope): %.2f us; at 1 kHz: %.2f%% of CPU\n", slope * 1e6, slope * 1000 * 100);
  }
  return 0;
}
