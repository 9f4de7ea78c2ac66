/*
 * tj_sampler.c: SIGPROF handler, timers and native stack walks.
 *
 * Timer. The preferred timer is a perf event on the software task clock of the VM thread
 * (PERF_COUNT_SW_TASK_CLOCK, exclude_kernel=1, sample_period = 1e9/hz ns). Its overflow is
 * delivered as SIGPROF to that very thread (O_ASYNC + F_SETSIG + F_SETOWN_EX/F_OWNER_TID). The
 * event runs free: every overflow signals, and the handler makes no system call to re-arm it. (An
 * event armed for one overflow at a time with PERF_EVENT_IOC_REFRESH, as before 2026-11-22, costs
 * 5-10 us more per sample in this VM: the disable at the overflow and the re-enable restart the
 * event's hrtimer. It also stopped for good whenever a signal was lost.) A free event counts the
 * handler's own time too, so a handler that takes more than a quarter of each period doubles the
 * period (throttle(), on_sigprof) rather than starve the program. This samples true
 * per-thread CPU time at 1 kHz and more, where setitimer(ITIMER_PROF) and POSIX CPU timers only
 * fire on the scheduler tick (250 Hz here). setitimer is the fallback when perf events are refused
 * (perf_event_paranoid, seccomp, containers).
 *
 * Weights. Each record carries how many timer periods of the VM thread's CPU time it stands for,
 * so that weights x period cover the thread's CPU time (user and system, the handler's included,
 * as ITIMER_PROF counts it) even when signals coalesce: SIGPROF does not queue, so an overflow
 * while one is pending (a handler longer than a period, SIGPROF blocked) is lost, and overflows in
 * the kernel are excluded. The thread CPU clock (CLOCK_THREAD_CPUTIME_ID) is read on every
 * setitimer sample and on every 64th perf sample; what it ran beyond the periods the signals since
 * then stand for goes to that sample's weight, the remainder carried over. weight-1 is counted as
 * missed periods.
 *
 * Native stacks. Two walkers read the interrupted context (ucontext): a bounds-checked
 * frame-pointer walk (the stack between the interrupted rsp and the thread's stack top; a frame
 * must move strictly upward) and libunwind from the signal frame (unw_init_local2 with
 * UNW_INIT_SIGNAL_FRAME), which follows DWARF CFI and so is right in prologues and frameless
 * code. libunwind is dlopen'ed RTLD_LOCAL (docs/profiler.md says why) and warmed up from a real
 * signal frame before the timer is armed, because a cache miss inside it calls
 * dl_iterate_phdr, which takes the loader lock.
 *
 * The handler stays installed after the first start; once stopped it is inert. Restoring
 * SIG_DFL could turn a late SIGPROF into process death.
 */
#define _GNU_SOURCE
#include "tj_sampler.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h> /* types and constants only: nothing is linked, entry points come from dlsym */

/* ---- libunwind through dlopen ------------------------------------------------------------- */
typedef int (*unw_init_local2_fn)(unw_cursor_t *, unw_context_t *, int);
typedef int (*unw_step_fn)(unw_cursor_t *);
typedef int (*unw_get_reg_fn)(unw_cursor_t *, int, unw_word_t *);
typedef int (*unw_set_caching_policy_fn)(unw_addr_space_t, unw_caching_policy_t);

static struct {
  int state; /* 0 not tried, 1 loaded, -1 failed */
  void *handle;
  unw_init_local2_fn init_local2;
  unw_step_fn step;
  unw_get_reg_fn get_reg;
  unw_set_caching_policy_fn set_caching_policy;
  unw_addr_space_t *local_as;
  char error[256];
} uw;

int tj_unwind_load(void) {
  if (uw.state != 0) return uw.state > 0;
  uw.handle = dlopen("libunwind.so.8", RTLD_NOW | RTLD_LOCAL);
  if (!uw.handle) {
    const char *e = dlerror();
    strncpy(uw.error, e ? e : "dlopen failed", sizeof uw.error - 1);
    uw.state = -1;
    return 0;
  }
  uw.init_local2 = (unw_init_local2_fn)dlsym(uw.handle, "_ULx86_64_init_local2");
  uw.step = (unw_step_fn)dlsym(uw.handle, "_ULx86_64_step");
  uw.get_reg = (unw_get_reg_fn)dlsym(uw.handle, "_ULx86_64_get_reg");
  uw.set_caching_policy = (unw_set_caching_policy_fn)dlsym(uw.handle, "_ULx86_64_set_caching_policy");
  uw.local_as = (unw_addr_space_t *)dlsym(uw.handle, "_ULx86_64_local_addr_space");
  if (!uw.init_local2 || !uw.step || !uw.get_reg) {
    strncpy(uw.error, "libunwind.so.8 lacks _ULx86_64_init_local2/step/get_reg", sizeof uw.error - 1);
    uw.state = -1;
    return 0;
  }
  uw.state = 1;
  return 1;
}

const char *tj_unwind_error(void) { return uw.state < 0 ? uw.error : NULL; }

static void unwind_set_cache(int per_thread) {
  if (uw.state > 0 && uw.set_caching_policy && uw.local_as)
    uw.set_caching_policy(*uw.local_as, per_thread ? UNW_CACHE_PER_THREAD : UNW_CACHE_GLOBAL);
}

/* ---- Walkers (async-signal-safe) ---------------------------------------------------------- */
static int walk_fp(const ucontext_t *uc, uintptr_t stack_hi, uint64_t *ips, int max, int *truncated) {
  const greg_t *g = uc->uc_mcontext.gregs;
  uintptr_t fp = (uintptr_t)g[REG_RBP], lo = (uintptr_t)g[REG_RSP];
  int n = 0;
  *truncated = 0;
  if (max <= 0) return 0;
  ips[n++] = (uint64_t)g[REG_RIP];
  while (fp >= lo && fp + 16 <= stack_hi && (fp & 7) == 0) {
    if (n == max) { *truncated = 1; break; }
    const uintptr_t *frame = (const uintptr_t *)fp;
    uintptr_t next = frame[0], ret = frame[1];
    if (ret < 4096) break;
    ips[n++] = ret;
    if (next <= fp) break; /* frames move strictly toward the stack top */
    fp = next;
  }
  return n;
}

static int walk_libunwind(ucontext_t *uc, uint64_t *ips, int max, int *truncated) {
  unw_cursor_t c;
  int n = 0;
  *truncated = 0;
  if (uw.state <= 0 || max <= 0) return 0;
  if (uw.init_local2(&c, (unw_context_t *)uc, UNW_INIT_SIGNAL_FRAME) < 0) return 0;
  for (;;) {
    unw_word_t ip = 0;
    if (uw.get_reg(&c, UNW_REG_IP, &ip) < 0 || ip == 0) break;
    ips[n++] = ip;
    if (uw.step(&c) <= 0) break;
    if (n == max) { *truncated = 1; break; }
  }
  return n;
}

tj_frame_layout tj_sampler_frame_layout;

static inline uint32_t pc_index(const tj_proto *p, const uint32_t *pc) {
  if (!p || !pc || !p->code || pc < p->code || pc >= p->code + p->ncode) return TJ_PC_UNKNOWN;
  return (uint32_t)(pc - p->code);
}

/* The call records are the truth about which frames exist; tj_vm_state is the freshest pc of the
 * running frame. So: frames come from the records (top down, natives skipped); the top record, when
 * it is the running Lua frame, takes vm->pc; every other Lua record takes its saved pc - 1 (the saved
 * pc is the next instruction, so this is the CALL). A record pushed a moment before vm->proto was
 * switched (the signal landed mid-call) has a proto different from vm->proto: it then uses its own
 * saved pc, which the range check turns into TJ_PC_UNKNOWN if not yet written. Without a layout
 * (or records) only the running frame from vm->proto/pc is sampled. */
int tj_walk_lua_frames(const tj_vmstate_t *vm, const tj_frame_layout *layout, tj_sample *s, int max) {
  int n = 0;
  s->n_lua = 0;
  s->code_epoch = 0;
  s->last_exit = 0;
  if (!vm) return 0;
  uint32_t tag = vm->tag;
  s->state = tag;
  s->aux = tag == TJ_VMSTATE_TRACE ? vm->trace : tag == TJ_VMSTATE_LIBRARY ? vm->libfunc : 0;
  s->code_epoch = vm->code_epoch;
  s->last_exit = vm->last_exit;
  if (max > TJ_MAX_LUA_FRAMES) max = TJ_MAX_LUA_FRAMES;
  if (max <= 0) return 0;
  const tj_proto *running = vm->proto;
  const uint32_t *running_pc = vm->pc;
  const tj_thread *th = vm->thread;
  int budget = 4 * TJ_MAX_LUA_FRAMES + 64; /* records examined, natives included */
  int stop = 0;
  /* The running coroutine's records, innermost first, then (after a boundary entry) those of the
   * thread that resumed it, and so on down to the main thread: a coroutine's samples stand on the
   * stack that resumed it. A resumer is in the "normal" state while the coroutine runs, and the
   * runtime sets `resumer` before it publishes the coroutine and clears it after it publishes the
   * resumer again, so the chain seen here is whole; the budget bounds it all the same. */
  for (int hop = 0; !stop && layout && layout->valid && layout->ci_stride && th && th->interp; hop++) {
    const char *co = (const char *)th->interp;
    const char *cis = *(const char *const *)(co + layout->co_cis);
    intptr_t count = *(const intptr_t *)(co + layout->co_count);
    if (!cis || count < 0) count = 0;
    for (intptr_t i = count - 1; i >= 0; i--) {
      if (budget-- == 0) { s->flags |= TJ_SAMPLE_LUA_TRUNCATED; stop = 1; break; }
      const char *ci = cis + (size_t)i * layout->ci_stride;
      uint32_t flags = *(const uint32_t *)(ci + layout->ci_flags);
      if (!(flags & layout->lua_flag)) continue;
      const tj_lfunc *cl = *(const tj_lfunc *const *)(ci + layout->ci_closure);
      const tj_proto *p = cl ? cl->proto : NULL;
      if (!p) continue;
      if (n == max) { s->flags |= TJ_SAMPLE_LUA_TRUNCATED; stop = 1; break; }
      uint32_t pc;
      if (hop == 0 && i == count - 1 && p == running) {
        pc = pc_index(p, running_pc);
      } else {
        const uint32_t *saved = *(const uint32_t *const *)(ci + layout->ci_pc);
        pc = saved ? pc_index(p, saved - 1) : TJ_PC_UNKNOWN;
      }
      s->lua[n].proto_id = p->id;
      s->lua[n].pc = pc;
      n++;
    }
    if (stop || n == 0) break; /* n == 0: the fallback below names the running frame alone */
    const tj_thread *up = th->resumer;
    if (!up || up == th || up->status != TJ_CO_NORMAL) break; /* each hop adds an entry: n bounds it */
    if (n == max) { s->flags |= TJ_SAMPLE_LUA_TRUNCATED; break; }
    s->lua[n].proto_id = TJ_PROTO_COROUTINE_BOUNDARY;
    s->lua[n].pc = 0;
    n++;
    th = up;
  }
  if (n == 0 && running) {
    s->lua[0].proto_id = running->id;
    s->lua[0].pc = pc_index(running, running_pc);
    n = 1;
  }
  s->n_lua = (uint16_t)n;
  return n;
}

/* ---- Sampler state ------------------------------------------------------------------------ */
static struct {
  _Atomic int active;
  int installed;
  int vm_tid;
  int perf_fd;
  uint32_t timer;
  tj_native_walk native;
  int max_lua, max_native;
  uintptr_t stack_hi;
  uint64_t period_ns;
  uint64_t last_cpu_ns;
  int64_t credit_ns;
  uint64_t start_cpu_ns;
  tj_ring *ring;
  const tj_vmstate_t *vm;
  const tj_frame_layout *layout;
  int refine_pc;
  int native_in_trace_only;
  uint64_t handler_timed_ns, handler_timed; /* the samples whose handler was timed */
  tj_sampler_stats st;
  int perf_errno;
  _Atomic int paused;           /* tj_sampler_pause: timer off, handler inert */
  _Atomic int hotness_only;     /* tj_sampler_set_hotness_only: records as the JIT's hotness takes them */
  uint64_t paused_at_ns, paused_ns; /* thread CPU time spent paused (left out of st.cpu_ns) */
  uint64_t accounted_ns;        /* perf: CPU time the signals since the last clock read stand for */
  uint64_t period_scale;        /* perf: base periods per signal (doubled by each throttle) */
  uint64_t last_exit_ns;        /* perf: CLOCK_MONOTONIC (vDSO) as the previous handler returned */
  int starved;                  /* perf: consecutive signals that came less than 3/4 period apart */
} S = { .perf_fd = -1 };

/* start, pause and stop (never the handler) may come from different threads */
static pthread_mutex_t ctl_lock = PTHREAD_MUTEX_INITIALIZER;

/* Probe requests (tests, measurements): served by the handler when raised with pthread_kill. */
static struct {
  volatile int kind; /* 0 none, 1 both walks, 2 timed walk, 3 empty (delivery cost) */
  uintptr_t stack_hi;
  uint64_t *fp_ips, *uw_ips;
  int *fp_n, *uw_n, max;
  tj_native_walk which;
  int iterations;
  double result_ns;
} P;

/* The interpreter publishes its pc only at calls, returns and loop back-edges (a store per
 * instruction would slow dispatch), but its `pc` local lives in a register almost everywhere in the
 * dispatch loop. So, for an interpreted sample whose running frame has a published pc, look for a
 * general register holding a pointer into the running prototype's code past the published pc (an
 * instruction boundary: 4-aligned from `code`); the smallest such is the next instruction, and the
 * one before it is executing. Execution only moves forward between two publications (backward jumps
 * are loop back-edges, which publish), so a candidate below the published pc is stale and ignored;
 * with no candidate (pc spilled, or the signal landed in a callee that reused the registers) the
 * published pc stands. Reads registers only: nothing to fault on. */
static void refine_running_pc(const ucontext_t *uc, tj_sample *s) {
  const tj_vmstate_t *vm = S.vm;
  if (!uc || !vm || s->n_lua == 0 || s->state != TJ_VMSTATE_INTERP) return;
  const tj_proto *p = vm->proto;
  if (!p || !p->code || p->id != s->lua[0].proto_id || s->lua[0].pc == TJ_PC_UNKNOWN) return;
  uintptr_t lo = (uintptr_t)(p->code + s->lua[0].pc), hi = (uintptr_t)(p->code + p->ncode);
  uintptr_t best = 0;
  static const int regs[] = {REG_RAX, REG_RBX, REG_RCX, REG_RDX, REG_RSI, REG_RDI, REG_RBP, REG_R8,
                             REG_R9, REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};
  for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
    uintptr_t v = (uintptr_t)uc->uc_mcontext.gregs[regs[i]];
    if (v > lo && v < hi && ((v - (uintptr_t)p->code) & 3) == 0 && (best == 0 || v < best)) best = v;
  }
  if (best) s->lua[0].pc = (uint32_t)((best - (uintptr_t)p->code) / 4) - 1;
}

/* System calls are most of what a sample costs the handler (each reads cold kernel state). Under
 * the perf timer a signal stands for one period and the handler makes no system call, except on
 * every 64th sample: that one reads the thread CPU clock, takes as its weight the CPU time the
 * signals since the previous such read do not account for (lost and kernel-time periods; at least
 * 1), and times itself (a second read), which tj_sampler_stop scales up to all samples. So a loss
 * is credited up to 63 samples late, and the very last ones not at all. Under setitimer, whose
 * signals coalesce all the time, every sample reads the clock and is weighed so. (Timing
 * the handler with CLOCK_MONOTONIC instead was tried: on a loaded machine the thread is often
 * descheduled inside the handler and the wall time came out at milliseconds per sample.) */
static uint64_t test_spin_ns;
void tj_test_set_handler_spin_ns(uint64_t ns) { test_spin_ns = ns; }

static void take_sample(ucontext_t *uc) {
  int perf = S.timer == TJ_TIMER_PERF;
  int timed = !perf || (S.st.signals & 63) == 0;
  uint64_t t0 = timed ? tj_thread_cpu_ns() : 0;
  int64_t w = 1;
  int64_t own = perf ? (int64_t)S.period_scale : 1; /* base periods a signal stands for */
  if (timed) {
    /* CPU time since the previous read, less what the signals since then stood for */
    S.credit_ns += (int64_t)(t0 - S.last_cpu_ns) - (int64_t)S.accounted_ns;
    S.accounted_ns = 0;
    S.last_cpu_ns = t0;
    w = S.credit_ns / (int64_t)S.period_ns;
    if (w < own) w = own;
    if (w > 1000000) w = 1000000;
    S.credit_ns -= w * (int64_t)S.period_ns;
    if (S.credit_ns < -4 * (int64_t)S.period_ns) S.credit_ns = -4 * (int64_t)S.period_ns;
  } else {
    w = own;
    S.accounted_ns += (uint64_t)own * S.period_ns;
  }

  S.st.signals++;
  tj_sample *s = tj_ring_begin_write(S.ring);
  if (!s) {
    tj_ring_add_dropped(S.ring, (uint32_t)w);
  } else {
    int lite = atomic_load_explicit(&S.hotness_only, memory_order_relaxed);
    s->weight = (uint32_t)w;
    s->flags = lite ? TJ_SAMPLE_HOTNESS_ONLY : 0;
    s->cpu_ns = timed ? t0 - S.start_cpu_ns : 0;
    tj_walk_lua_frames(S.vm, S.layout, s, lite ? 1 : S.max_lua);
    if (S.refine_pc) refine_running_pc(uc, s);
    int trunc = 0, n = 0;
    tj_native_walk walk = lite ? TJ_NATIVE_NONE : S.native;
    if (S.native_in_trace_only && s->state != TJ_VMSTATE_TRACE) walk = TJ_NATIVE_NONE;
    if (walk == TJ_NATIVE_FP) {
      n = walk_fp(uc, S.stack_hi, s->native, S.max_native, &trunc);
    } else if (walk == TJ_NATIVE_LIBUNWIND) {
      n = walk_libunwind(uc, s->native, S.max_native, &trunc);
      s->flags |= TJ_SAMPLE_NATIVE_LIBUNWIND;
    }
    if (trunc) s->flags |= TJ_SAMPLE_NATIVE_TRUNCATED;
    s->n_native = (uint16_t)n;
    tj_ring_commit_write(S.ring);
    S.st.samples++;
    S.st.weight += (uint64_t)w;
    S.st.missed_periods += (uint64_t)(w - own);
  }
  if (test_spin_ns) { /* tests: a slow handler */
    uint64_t t = tj_thread_cpu_ns();
    while (tj_thread_cpu_ns() - t < test_spin_ns) {}
  }
  if (timed) {
    S.handler_timed_ns += tj_thread_cpu_ns() - t0;
    S.handler_timed++;
  }
}

/* Doubles the perf event's period (to 1024x at most); weights count base periods. */
static void throttle(void) {
  S.starved = 0;
  if (S.period_scale >= 1024) return;
  uint64_t p = S.period_ns * S.period_scale * 2;
  if (ioctl(S.perf_fd, PERF_EVENT_IOC_PERIOD, &p) == 0) {
    S.period_scale *= 2;
    S.st.throttles++;
  }
}

static void serve_probe(ucontext_t *uc) {
  int trunc;
  if (P.kind == 1) {
    *P.fp_n = walk_fp(uc, P.stack_hi, P.fp_ips, P.max, &trunc);
    *P.uw_n = walk_libunwind(uc, P.uw_ips, P.max, &trunc);
  } else if (P.kind == 2) {
    uint64_t ips[TJ_MAX_NATIVE_FRAMES];
    uint64_t t0 = tj_monotonic_ns();
    for (int i = 0; i < P.iterations; i++) {
      if (P.which == TJ_NATIVE_FP) walk_fp(uc, P.stack_hi, ips, TJ_MAX_NATIVE_FRAMES, &trunc);
      else walk_libunwind(uc, ips, TJ_MAX_NATIVE_FRAMES, &trunc);
      __asm__ volatile("" ::"r"(ips) : "memory");
    }
    P.result_ns = (double)(tj_monotonic_ns() - t0) / (double)(P.iterations > 0 ? P.iterations : 1);
  } /* kind 3: nothing, the cost of delivery itself is being measured */
  P.kind = 0;
}

static void on_sigprof(int sig, siginfo_t *si, void *ucv) {
  (void)sig;
  int saved_errno = errno;
  ucontext_t *uc = (ucontext_t *)ucv;
  if (P.kind != 0 && si->si_code == SI_TKILL && si->si_pid == getpid()) {
    serve_probe(uc);
  } else if (atomic_load_explicit(&S.active, memory_order_acquire) &&
             !atomic_load_explicit(&S.paused, memory_order_acquire)) {
    if (S.timer == TJ_TIMER_PERF) {
      if (si->si_fd == S.perf_fd) {
        /* The free event counts the handler's and the signal's own time too: a handler that takes
         * more than a quarter of each period (libunwind walks, high rates) would starve the
         * program, and one longer than a period would leave it no time at all. Four signals in a
         * row less than 3/4 period (wall time, which only runs ahead of the thread's CPU time)
         * after the previous handler returned double the period. */
        uint64_t now = tj_monotonic_ns();
        uint64_t period = S.period_ns * S.period_scale;
        if (S.last_exit_ns && now - S.last_exit_ns < period - period / 4) {
          if (++S.starved >= 4) throttle();
        } else {
          S.starved = 0;
        }
        take_sample(uc);
        S.last_exit_ns = tj_monotonic_ns();
      }
    } else if (si->si_code == SI_KERNEL || si->si_code <= 0) {
      if ((int)syscall(SYS_gettid) == S.vm_tid) take_sample(uc);
      else S.st.foreign++;
    }
  }
  errno = saved_errno;
}

static int install_handler(void) {
  if (S.installed) return 0;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigprof;
  sa.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGPROF, &sa, NULL) != 0) return -errno;
  S.installed = 1;
  return 0;
}

static uintptr_t thread_stack_top(void) {
  pthread_attr_t a;
  void *addr = NULL;
  size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &a) != 0) return 0;
  pthread_attr_getstack(&a, &addr, &size);
  pthread_attr_destroy(&a);
  return (uintptr_t)addr + size;
}

static int raise_probe(int kind) {
  int rc = install_handler();
  if (rc) return rc;
  if (kind != 3) P.stack_hi = thread_stack_top(); /* reads /proc/self/maps on the main thread */
  P.kind = kind;
  __atomic_signal_fence(__ATOMIC_SEQ_CST);
  rc = pthread_kill(pthread_self(), SIGPROF); /* delivered before pthread_kill returns */
  if (rc) { P.kind = 0; return -rc; }
  return P.kind == 0 ? 0 : -EINTR;
}

int tj_probe_walks(uint64_t *fp_ips, int *fp_n, uint64_t *uw_ips, int *uw_n, int max) {
  if (atomic_load(&S.active)) return -EBUSY;
  tj_unwind_load();
  *fp_n = 0;
  *uw_n = 0;
  P.fp_ips = fp_ips; P.uw_ips = uw_ips; P.fp_n = fp_n; P.uw_n = uw_n; P.max = max;
  return raise_probe(1);
}

double tj_measure_signal_ns(int iterations) {
  if (atomic_load(&S.active)) return -EBUSY;
  if (iterations <= 0) iterations = 1;
  uint64_t t0 = tj_thread_cpu_ns();
  for (int i = 0; i < iterations; i++)
    if (raise_probe(3) != 0) return -1;
  return (double)(tj_thread_cpu_ns() - t0) / (double)iterations;
}

double tj_measure_walk_ns(tj_native_walk which, int iterations, int per_thread_cache) {
  if (atomic_load(&S.active)) return -EBUSY;
  if (which == TJ_NATIVE_LIBUNWIND) {
    if (!tj_unwind_load()) return -ENOENT;
    unwind_set_cache(per_thread_cache);
  }
  P.which = which;
  P.iterations = 1; /* warm-up walk first: fills libunwind's caches outside the timed loop */
  if (raise_probe(2) != 0) return -1;
  P.iterations = iterations;
  if (raise_probe(2) != 0) return -1;
  if (which == TJ_NATIVE_LIBUNWIND) unwind_set_cache(0);
  return P.result_ns;
}

/* ---- Timers ------------------------------------------------------------------------------- */
static int open_perf_timer(uint64_t period_ns) {
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.size = sizeof a;
  a.type = PERF_TYPE_SOFTWARE;
  a.config = PERF_COUNT_SW_TASK_CLOCK;
  a.sample_period = period_ns;
  a.disabled = 1;
  a.exclude_kernel = 1;
  a.exclude_hv = 1;
  a.wakeup_events = 1;
  int fd = (int)syscall(SYS_perf_event_open, &a, 0 /* this thread */, -1, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) return -errno;
  struct f_owner_ex owner = { .type = F_OWNER_TID, .pid = S.vm_tid };
  if (fcntl(fd, F_SETFL, O_ASYNC | O_NONBLOCK) != 0 || fcntl(fd, F_SETSIG, SIGPROF) != 0 ||
      fcntl(fd, F_SETOWN_EX, &owner) != 0) {
    int e = errno;
    close(fd);
    return -e;
  }
  return fd;
}

int tj_sampler_running(void) { return atomic_load(&S.active); }

/* setitimer(ITIMER_PROF) at the sampler's period; 0 or -1 with errno set. */
static int arm_itimer(void) {
  struct itimerval it;
  it.it_interval.tv_sec = (time_t)(S.period_ns / 1000000000ull);
  it.it_interval.tv_usec = (suseconds_t)((S.period_ns % 1000000000ull) / 1000);
  if (it.it_interval.tv_sec == 0 && it.it_interval.tv_usec == 0) it.it_interval.tv_usec = 1;
  it.it_value = it.it_interval;
  return setitimer(ITIMER_PROF, &it, NULL);
}

static int sampler_start(const tj_sampler_config *cfg, tj_ring *ring, const tj_vmstate_t *vm);

int tj_sampler_start(const tj_sampler_config *cfg, tj_ring *ring, const tj_vmstate_t *vm) {
  pthread_mutex_lock(&ctl_lock);
  int rc = sampler_start(cfg, ring, vm);
  pthread_mutex_unlock(&ctl_lock);
  return rc;
}

static int sampler_start(const tj_sampler_config *cfg, tj_ring *ring, const tj_vmstate_t *vm) {
  if (atomic_load(&S.active)) return -EBUSY;
  if (!ring) return -EINVAL;
  uint32_t hz = cfg && cfg->hz ? cfg->hz : 1000;
  if (hz > 100000) hz = 100000;
  memset(&S.st, 0, sizeof S.st);
  S.handler_timed_ns = S.handler_timed = 0;
  S.paused_ns = 0;
  atomic_store(&S.paused, 0);
  atomic_store(&S.hotness_only, 0);
  S.native = cfg ? cfg->native : TJ_NATIVE_NONE;
  S.max_lua = cfg && cfg->max_lua && cfg->max_lua <= TJ_MAX_LUA_FRAMES ? (int)cfg->max_lua : TJ_MAX_LUA_FRAMES;
  S.max_native = cfg && cfg->max_native && cfg->max_native <= TJ_MAX_NATIVE_FRAMES ? (int)cfg->max_native : TJ_MAX_NATIVE_FRAMES;
  S.ring = ring;
  S.vm = vm ? vm : &tj_vm_state;
  S.layout = cfg && cfg->layout ? cfg->layout : &tj_sampler_frame_layout;
  S.refine_pc = cfg && cfg->refine_pc;
  S.native_in_trace_only = cfg && cfg->native_in_trace_only;
  S.vm_tid = (int)syscall(SYS_gettid);
  S.stack_hi = thread_stack_top();
  S.period_ns = 1000000000ull / hz;
  S.perf_errno = 0;
  int rc = install_handler();
  if (rc) return rc;
  if (S.native == TJ_NATIVE_LIBUNWIND) {
    if (!tj_unwind_load()) return -ENOENT;
    unwind_set_cache(cfg && cfg->unwind_per_thread_cache);
    uint64_t a[8], b[8];
    int na, nb;
    tj_probe_walks(a, &na, b, &nb, 8); /* warm-up from a real signal frame on this thread */
  }
  tj_timer_kind want = cfg ? cfg->timer : TJ_TIMER_AUTO;
  S.timer = 0;
  if (want != TJ_TIMER_ITIMER) {
    int fd = open_perf_timer(S.period_ns);
    if (fd >= 0) {
      S.perf_fd = fd;
      S.timer = TJ_TIMER_PERF;
    } else {
      S.perf_errno = -fd;
      if (want == TJ_TIMER_PERF) return fd;
    }
  }
  if (!S.timer) S.timer = TJ_TIMER_ITIMER;
  S.start_cpu_ns = S.last_cpu_ns = tj_thread_cpu_ns();
  S.credit_ns = 0;
  S.accounted_ns = 0;
  S.period_scale = 1;
  S.last_exit_ns = 0;
  S.starved = 0;
  atomic_store_explicit(&S.active, 1, memory_order_release);
  if (S.timer == TJ_TIMER_PERF) {
    if (ioctl(S.perf_fd, PERF_EVENT_IOC_RESET, 0) != 0 || ioctl(S.perf_fd, PERF_EVENT_IOC_ENABLE, 0) != 0) {
      int e = errno;
      atomic_store(&S.active, 0);
      close(S.perf_fd);
      S.perf_fd = -1;
      return -e;
    }
  } else {
    if (arm_itimer() != 0) {
      int e = errno;
      atomic_store(&S.active, 0);
      return -e;
    }
  }
  S.st.hz = hz;
  return 0;
}

/* Stops the timer (perf event disabled, or setitimer cleared); the fd stays open. */
static void disarm_timer(void) {
  if (S.timer == TJ_TIMER_PERF) {
    ioctl(S.perf_fd, PERF_EVENT_IOC_DISABLE, 0);
  } else {
    struct itimerval zero;
    memset(&zero, 0, sizeof zero);
    setitimer(ITIMER_PROF, &zero, NULL);
  }
}

static int sampler_pause(int paused) {
  if (!atomic_load(&S.active)) return -EINVAL;
  if ((atomic_load(&S.paused) != 0) == (paused != 0)) return 0;
  if (paused) {
    atomic_store_explicit(&S.paused, 1, memory_order_release);
    disarm_timer();
    S.paused_at_ns = tj_thread_cpu_ns();
    return 0;
  }
  uint64_t now = tj_thread_cpu_ns();
  S.paused_ns += now - S.paused_at_ns;
  S.last_cpu_ns = now; /* the paused time earns no weight */
  S.credit_ns = 0;
  S.accounted_ns = 0;
  S.last_exit_ns = 0;
  S.starved = 0;
  atomic_store_explicit(&S.paused, 0, memory_order_release);
  if (S.timer == TJ_TIMER_PERF) return ioctl(S.perf_fd, PERF_EVENT_IOC_ENABLE, 0) != 0 ? -errno : 0;
  return arm_itimer() != 0 ? -errno : 0;
}

int tj_sampler_pause(int paused) {
  pthread_mutex_lock(&ctl_lock);
  int rc = sampler_pause(paused);
  pthread_mutex_unlock(&ctl_lock);
  return rc;
}

void tj_sampler_set_hotness_only(int on) { atomic_store_explicit(&S.hotness_only, on != 0, memory_order_relaxed); }

int tj_sampler_stop(tj_sampler_stats *out) {
  if (!atomic_load(&S.active)) {
    if (out) memset(out, 0, sizeof *out);
    return -EINVAL;
  }
  pthread_mutex_lock(&ctl_lock);
  disarm_timer();
  atomic_store_explicit(&S.active, 0, memory_order_release);
  if (S.perf_fd >= 0) { close(S.perf_fd); S.perf_fd = -1; }
  pthread_mutex_unlock(&ctl_lock);
  uint64_t end = tj_thread_cpu_ns();
  if (atomic_load(&S.paused)) S.paused_ns += end - S.paused_at_ns;
  atomic_store(&S.paused, 0);
  S.st.cpu_ns = end - S.start_cpu_ns - S.paused_ns;
  S.st.handler_ns = S.handler_timed ? S.handler_timed_ns * S.st.signals / S.handler_timed : 0;
  S.st.period_ns = S.period_ns;
  S.st.final_period_ns = S.period_ns * S.period_scale; /* scale stays 1 under setitimer */
  S.st.timer = S.timer;
  S.st.perf_errno = S.perf_errno;
  S.st.native = S.native;
  S.st.dropped = tj_ring_dropped(S.ring);
  S.st.dropped_weight = tj_ring_dropped_weight(S.ring);
  if (out) *out = S.st;
  return 0;
}
