/*
 * tj_sampler.h: the signal-handler half of tracejit's sampling profiler.
 *
 * Everything here that runs inside the SIGPROF handler is async-signal-safe: it reads the VM's
 * published state and the interrupted thread's stack, and writes one fixed-size record into a
 * preallocated single-producer/single-consumer ring. No malloc, no locks, no Swift, no dlopen.
 * See docs/profiler.md for the design (timer choice, ring, native walks, measured costs).
 */
#ifndef TJ_SAMPLER_H
#define TJ_SAMPLER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "tj_vm.h"

/* ---- What the VM publishes --------------------------------------------------------------------
 * The VM state is CVM's `tj_vm_state` (tj_vmstate_t: tag, trace, thread, base, proto, pc,
 * libfunc). The handler runs on the VM thread itself, so it sees that state as of an instruction
 * boundary of the interrupted thread.
 *
 * Caller frames live in the interpreter's call records (one per active call, reached from
 * thread->interp). Their layout is the interpreter's (a Swift struct), so the interpreter
 * describes it once at startup in a tj_frame_layout (offsets from MemoryLayout<...>.offset(of:))
 * and the walk follows the description. Until it is filled in (`valid == 0`) only the innermost
 * frame (tj_vm_state.proto/pc) is sampled. */
typedef struct tj_frame_layout {
  uint32_t valid;       /* nonzero once filled in */
  uint32_t ci_stride;   /* bytes per call record */
  uint32_t co_cis;      /* offset, in the block at thread->interp, of the call-record array pointer */
  uint32_t co_count;    /* offset of the number of records (intptr_t) */
  uint32_t ci_pc;       /* offset in a record of the saved pc (const uint32_t *: next instruction) */
  uint32_t ci_closure;  /* offset of the closure (tj_lfunc *, NULL for native frames) */
  uint32_t ci_flags;    /* offset of the flags word (uint32_t) */
  uint32_t lua_flag;    /* flags bit set in Lua frames' records */
} tj_frame_layout;

/* The layout the sampler uses when tj_sampler_config.layout is NULL; the interpreter fills it. */
extern tj_frame_layout tj_sampler_frame_layout;

/* ---- Sample records ---------------------------------------------------------------------- */
#define TJ_MAX_LUA_FRAMES 64
#define TJ_MAX_NATIVE_FRAMES 64

enum {
  TJ_SAMPLE_LUA_TRUNCATED = 1u << 0,    /* more Lua frames than the depth limit */
  TJ_SAMPLE_NATIVE_TRUNCATED = 1u << 1, /* native walk stopped at the depth limit */
  TJ_SAMPLE_NATIVE_LIBUNWIND = 1u << 2, /* native[] came from libunwind (else frame pointers) */
  TJ_SAMPLE_HOTNESS_ONLY = 1u << 3,     /* taken as the JIT's hotness-only sampler takes them
                                           (tj_sampler_set_hotness_only): not part of a profile */
};

typedef struct tj_lua_frame {
  uint32_t proto_id;
  uint32_t pc;
} tj_lua_frame;

typedef struct tj_sample {
  uint32_t state;     /* TJ_VMSTATE_* at the sample */
  uint32_t aux;       /* trace number (TRACE) / builtin index (LIBRARY) */
  uint32_t weight;    /* timer periods this sample stands for (>= 1; > 1 after missed periods) */
  uint32_t flags;     /* TJ_SAMPLE_* */
  uint16_t n_lua;     /* valid entries in lua[] */
  uint16_t n_native;  /* valid entries in native[] */
  uint32_t code_epoch; /* tj_vm_state.code_epoch at the sample (names JIT addresses in native[]) */
  uint64_t cpu_ns;    /* the sampled thread's CPU time at the sample (0 when not read: perf timer) */
  uint64_t last_exit; /* tj_vm_state.last_exit at the sample (the JIT's sample hotness for exits) */
  tj_lua_frame lua[TJ_MAX_LUA_FRAMES];   /* innermost first */
  uint64_t native[TJ_MAX_NATIVE_FRAMES]; /* innermost first: [0] = interrupted pc, then return addresses */
} tj_sample;

/* The pc value recorded when a frame's pc is out of its prototype's code (torn state). */
#define TJ_PC_UNKNOWN 0xFFFFFFFFu
/* lua[] entry between a coroutine's frames and those of the thread that resumed it (pc 0) */
#define TJ_PROTO_COROUTINE_BOUNDARY 0xFFFFFFFFu

/* Fills s->state/aux/code_epoch/last_exit from the VM state and walks its Lua frames into s->lua (innermost first, at
 * most `max`) from the running coroutine's call records as `layout` describes them, the running
 * frame's pc from vm->pc (only the running frame, from vm->proto/pc, when layout is NULL or not
 * valid). Sets
 * TJ_SAMPLE_LUA_TRUNCATED when frames remain. Async-signal-safe; every pointer is checked for
 * NULL and every count clamped, so a torn state gives a short stack, not a crash, as long as the
 * pointers themselves point at live VM memory (they do: the VM never frees a running frame's
 * objects). Returns the number of Lua frames. */
int tj_walk_lua_frames(const tj_vmstate_t *vm, const tj_frame_layout *layout, tj_sample *s, int max);

/* ---- The ring (opaque; SPSC: the handler produces, one drain thread consumes) ------------ */
typedef struct tj_ring tj_ring;

/* capacity is rounded up to a power of two (>= 2). Returns NULL when allocation fails. */
tj_ring *tj_ring_create(uint32_t capacity);
void tj_ring_destroy(tj_ring *r);
uint32_t tj_ring_capacity(const tj_ring *r);
/* Producer side: a slot to fill, or NULL when full (the drop is counted). */
tj_sample *tj_ring_begin_write(tj_ring *r);
void tj_ring_commit_write(tj_ring *r);
/* Producer-side convenience: copies *s in; returns 0 when dropped. Used by tests and fakes. */
int tj_ring_push(tj_ring *r, const tj_sample *s);
/* Consumer side: copies the oldest record to *out; returns 0 when empty. */
int tj_ring_pop(tj_ring *r, tj_sample *out);
uint64_t tj_ring_count(const tj_ring *r);          /* records waiting */
uint64_t tj_ring_dropped(const tj_ring *r);        /* records refused because the ring was full */
uint64_t tj_ring_dropped_weight(const tj_ring *r); /* their summed weight */
void tj_ring_add_dropped(tj_ring *r, uint32_t weight);

/* ---- The sampler (one per process: signal dispositions are process-wide) ---------------- */
typedef enum { TJ_TIMER_AUTO = 0, TJ_TIMER_PERF = 1, TJ_TIMER_ITIMER = 2 } tj_timer_kind;
typedef enum { TJ_NATIVE_NONE = 0, TJ_NATIVE_FP = 1, TJ_NATIVE_LIBUNWIND = 2 } tj_native_walk;

typedef struct tj_sampler_config {
  uint32_t hz;                /* samples per CPU-second; 0 means 1000 */
  tj_timer_kind timer;        /* AUTO: perf events, else setitimer */
  tj_native_walk native;      /* how to walk the native stack */
  uint32_t max_lua;           /* 0 means TJ_MAX_LUA_FRAMES */
  uint32_t max_native;        /* 0 means TJ_MAX_NATIVE_FRAMES */
  uint32_t unwind_per_thread_cache; /* libunwind: UNW_CACHE_PER_THREAD instead of GLOBAL */
  const tj_frame_layout *layout;    /* NULL: &tj_sampler_frame_layout */
  uint32_t refine_pc;         /* find the running frame's pc in the interrupted registers */
  uint32_t native_in_trace_only; /* walk the native stack only for samples taken in a trace
                                    (Lua-mode profiles use native addresses only to name JIT code) */
} tj_sampler_config;

typedef struct tj_sampler_stats {
  uint64_t signals;        /* handler entries for this sampler (VM thread) */
  uint64_t samples;        /* records written */
  uint64_t weight;         /* summed weight of written records */
  uint64_t missed_periods; /* periods with no signal of their own: sum of weight - the signal's own (1, or 2^throttles under perf) */
  uint64_t dropped;        /* records lost to a full ring */
  uint64_t dropped_weight;
  uint64_t foreign;        /* timer signals that landed on another thread (itimer) */
  uint64_t throttles;      /* perf: times the period was doubled because the handler and the
                              signal took more than a quarter of it (weights stay in period_ns) */
  uint64_t final_period_ns; /* the period at the end (period_ns << throttles under perf) */
  uint64_t handler_ns;     /* CPU spent inside the handler body (thread CPU clock; under perf
                              measured on every 64th sample and scaled to all) */
  uint64_t cpu_ns;         /* the VM thread's CPU time between start and stop */
  uint64_t period_ns;
  uint32_t hz;
  uint32_t timer;          /* TJ_TIMER_PERF or TJ_TIMER_ITIMER actually used */
  int32_t perf_errno;      /* why perf_event_open failed, 0 if it did not */
  uint32_t native;         /* tj_native_walk used */
} tj_sampler_stats;

/* Starts sampling the calling thread, reading VM state from `vm` (NULL: &tj_vm_state). Returns 0,
 * or a negative errno (-EBUSY when already running, -ENOENT when libunwind was asked for and
 * cannot be loaded). */
int tj_sampler_start(const tj_sampler_config *cfg, tj_ring *ring, const tj_vmstate_t *vm);
/* Pauses (paused != 0) or resumes the running sampler's timer, on the sampled thread. Paused, no
 * signals are taken and the thread's CPU time is left out of the stats' cpu_ns; resuming goes on with
 * the period where it stood. For measuring the sampler's own cost within one run (TRACEJIT_BENCH_PROFILE_
 * ALTERNATE, docs/profiler.md). Returns 0 or a negative errno (-EINVAL when not running). */
int tj_sampler_pause(int paused);
/* While on, records are taken as the JIT's hotness-only sampler takes them (the running frame
 * only, no native walk) and flagged TJ_SAMPLE_HOTNESS_ONLY, which the profile leaves out: with the
 * JIT on, alternating this measures what --profile adds to the sampling the JIT does anyway. */
void tj_sampler_set_hotness_only(int on);
/* Stops the timer (the handler stays installed but inert), fills *out if not NULL. */
int tj_sampler_stop(tj_sampler_stats *out);
int tj_sampler_running(void);

/* ---- libunwind, loaded with dlopen(RTLD_LOCAL) (see docs/profiler.md) -------------------- */
/* Loads libunwind.so.8 and resolves the entry points; idempotent; never call while sampling.
 * Returns 1 when available. */
int tj_unwind_load(void);
const char *tj_unwind_error(void);

/* ---- Probes from a real signal frame (tests and cost measurement; not while sampling) ---- */
/* Raises SIGPROF on the calling thread and, from inside the handler, walks the native stack of
 * the interrupted context with both walkers. Returns 0 or a negative errno. */
int tj_probe_walks(uint64_t *fp_ips, int *fp_n, uint64_t *uw_ips, int *uw_n, int max);
/* Raises SIGPROF once and repeats the chosen walk `iterations` times inside the handler;
 * returns the mean nanoseconds per walk (monotonic clock), or a negative value on error. */
double tj_measure_walk_ns(tj_native_walk which, int iterations, int per_thread_cache);

/* Sends `iterations` SIGPROFs to the calling thread, each handled by an empty handler body;
 * returns the thread CPU nanoseconds per signal (pthread_kill + delivery + sigreturn). */
double tj_measure_signal_ns(int iterations);

/* ---- Small helpers ---------------------------------------------------------------------- */
uint64_t tj_thread_cpu_ns(void);
uint64_t tj_monotonic_ns(void);
int tj_gettid(void);

/* gzip (RFC 1952) via zlib. *out is malloc'd; free with tj_free. Return 0 on success. */
int tj_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);
int tj_gunzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len);
void tj_free(void *p);

/* A deliberately CPU-bound C function with a frame pointer and a known name, for tests:
 * the sampler must find `tj_test_busy_leaf` in symbolized stacks. */
double tj_test_busy_loop(uint64_t iterations);
/* Tests: every sample's handler spins this long (thread CPU time) after taking the sample, as a
 * slow native walk would; 0 turns it off. */
void tj_test_set_handler_spin_ns(uint64_t ns);

/* Spins with a register walking over code[from, n) (tests of the handler's pc refinement). */
void tj_test_walk_code(const uint32_t *code, uint32_t from, uint32_t n, uint64_t rounds);

/* C++ names ("_ZN..."): __cxa_demangle found with dlsym (libstdc++ is loaded by the Swift
 * runtime but not linked directly). Returns a malloc'd string or NULL. Not for signal handlers. */
char *tj_cxx_demangle(const char *mangled);

/* Swift runtime demangler, exported by libswiftCore. Returns a malloc'd string or NULL. */
char *swift_demangle(const char *mangled_name, size_t mangled_name_length, char *output_buffer,
                     size_t *output_buffer_size, uint32_t flags);

#ifdef __cplusplus
}
#endif
#endif
