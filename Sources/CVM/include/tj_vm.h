/*
** tj_vm.h: the C view of tracejit's runtime objects.
**
** Every Lua object lives in memory the runtime manages itself (never moved, reclaimed by a precise
** mark-and-sweep collector, see docs/runtime.md). Its layout is defined here, once, as C structs, so
** that Swift (the runtime), JIT-compiled code (fixed field offsets) and the SIGPROF handler (C) all
** agree on it. Swift reaches these through UnsafeMutablePointer<tj_...>.
**
** Values are 64-bit NaN-boxed words (uint64_t here, `Value` in Swift):
**   - a double is stored as itself: every bit pattern below TJ_NUMBER_LIMIT is a number, which
**     includes both quiet NaNs hardware produces (0x7FF8... and x86's default 0xFFF8...);
**   - anything else carries a 17-bit "itype" in bits 63..47 (TJ_ITYPE_*) and a 47-bit payload
**     (an object pointer; 0 for true/false/nil, which are the all-ones-payload constants below).
** nil is all ones, so memset(p, 0xff, n) fills n/8 slots with nil.
*/
#ifndef TJ_VM_H
#define TJ_VM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Value tags ------------------------------------------------------------------------------ */

#define TJ_ITYPE_SHIFT      47
#define TJ_PAYLOAD_MASK     0x00007FFFFFFFFFFFull
#define TJ_ITYPE_NIL        0x1FFFFu
#define TJ_ITYPE_FALSE      0x1FFFEu
#define TJ_ITYPE_TRUE       0x1FFFDu
#define TJ_ITYPE_LIGHTUD    0x1FFFCu
#define TJ_ITYPE_STR        0x1FFFBu   /* first collectable */
#define TJ_ITYPE_THREAD     0x1FFFAu
#define TJ_ITYPE_FUNC       0x1FFF9u   /* Lua closure or native function (see gct) */
#define TJ_ITYPE_UDATA      0x1FFF8u
#define TJ_ITYPE_TAB        0x1FFF7u   /* last collectable */
#define TJ_ITYPE_DEADKEY    0x1FFF6u   /* internal: a collected key left in a table node */
#define TJ_ITYPE_MIN        0x1FFF2u   /* 0x1FFF2..0x1FFF5 are reserved */

#define TJ_VALUE_NIL        0xFFFFFFFFFFFFFFFFull
#define TJ_VALUE_FALSE      0xFFFF7FFFFFFFFFFFull
#define TJ_VALUE_TRUE       0xFFFEFFFFFFFFFFFFull
/* Every value >= TJ_NUMBER_LIMIT (unsigned) is tagged; every value below is a double. */
#define TJ_NUMBER_LIMIT     0xFFF9000000000000ull
/* Every value >= TJ_FALSY_LIMIT is nil or false. */
#define TJ_FALSY_LIMIT      0xFFFF000000000000ull
/* The canonical NaN used where a NaN of unknown origin enters the VM. */
#define TJ_CANONICAL_NAN    0x7FF8000000000000ull

/* ---- Object headers -------------------------------------------------------------------------- */

/* Object types (gct byte of the header). */
enum {
  TJ_GCT_STR = 1,
  TJ_GCT_TAB,
  TJ_GCT_LFUNC,     /* Lua closure */
  TJ_GCT_CFUNC,     /* native (Swift builtin) function */
  TJ_GCT_UPVAL,
  TJ_GCT_THREAD,
  TJ_GCT_UDATA,
  TJ_GCT_PROTO,
};

/* Mark bits (marked byte of the header). */
#define TJ_MARK_BLACK  0x01u   /* reached during the current collection */
#define TJ_MARK_FIXED  0x02u   /* never collected (metamethod names, ...) */

/* The common header: link on the all-objects list (for strings: the intern-table chain), type,
** mark bits. Each object type continues with its own fields at offset 10. */
#define TJ_GCHEADER struct tj_gcobj *gcnext; uint8_t gct; uint8_t marked

typedef struct tj_gcobj {
  TJ_GCHEADER;
} tj_gcobj;

/* Interned string: bytes inline, NUL-terminated (the NUL is not counted in len). */
typedef struct tj_str {
  TJ_GCHEADER;
  uint8_t reserved;     /* 10: e.g. a keyword/metamethod id; 0 if none */
  uint8_t pad;
  uint32_t hash;        /* 12: seeded hash of the bytes */
  uint64_t len;         /* 16 */
  char data[];          /* 24 */
} tj_str;

/* Hash node: value, key, chain link. Keys are normalized (a -0 key is stored as +0, numbers with
** integer values in the array range never appear here) so key equality is bit equality. */
typedef struct tj_node {
  uint64_t val;
  uint64_t key;
  struct tj_node *next;
} tj_node;

/* Metamethod events. Bit e of a metatable's nomm says "this table has no field for event e". */
enum {
  TJ_MM_INDEX, TJ_MM_NEWINDEX, TJ_MM_GC, TJ_MM_MODE, TJ_MM_EQ, TJ_MM_LEN,
  TJ_MM_LT, TJ_MM_LE, TJ_MM_CONCAT, TJ_MM_CALL,
  TJ_MM_ADD, TJ_MM_SUB, TJ_MM_MUL, TJ_MM_DIV, TJ_MM_MOD, TJ_MM_POW, TJ_MM_UNM,
  TJ_MM_METATABLE, TJ_MM_TOSTRING,
  TJ_MM__COUNT
};

typedef struct tj_table {
  TJ_GCHEADER;
  uint8_t weak;                 /* 10: set by the GC during a collection (TJ_WEAK_*); else 0 */
  uint8_t colo;                 /* 11: array slots allocated inline right after this struct (the
                                       array part starts there until a resize moves it); 0: none */
  uint32_t nomm;                /* 12: negative metamethod cache, cleared by every string/generic
                                       store into this table (see docs/runtime.md) */
  uint64_t *array;              /* 16: array part: array[i-1] holds key i, 1 <= i <= asize */
  uint32_t asize;               /* 24 */
  uint32_t hmask;               /* 28: hash part has hmask+1 nodes (power of two) */
  tj_node *node;                /* 32: the shared empty node when hmask == 0 and nothing is stored */
  tj_node *lastfree;            /* 40: every node at or above lastfree is in use */
  struct tj_table *metatable;   /* 48 */
  struct tj_gcobj *gclist;      /* 56: GC work list link */
} tj_table;

#define TJ_WEAK_KEYS   0x01u
#define TJ_WEAK_VALUES 0x02u

/* Upvalue: v points into a coroutine stack while open, at `closed` once closed. */
typedef struct tj_upval {
  TJ_GCHEADER;
  uint8_t isclosed;             /* 10 */
  uint8_t pad;
  uint32_t pad2;
  uint64_t *v;                  /* 16 */
  uint64_t closed;              /* 24 */
  struct tj_upval *nextopen;    /* 32: thread's open list, sorted by descending v */
} tj_upval;

/* Function prototype, as the interpreter runs it. One allocation holds the struct followed by the
** code, constants, children and upvalue descriptors. */
typedef struct tj_proto {
  TJ_GCHEADER;
  uint8_t numparams;            /* 10 */
  uint8_t isvararg;             /* 11 */
  uint32_t id;                  /* 12: unique per heap, stable; the profiler's name for it */
  uint32_t framesize;           /* 16 */
  uint32_t ncode;               /* 20 */
  uint32_t nk;                  /* 24 */
  uint32_t nchild;              /* 28 */
  uint32_t nuv;                 /* 32 */
  uint32_t linedefined;         /* 36 */
  const uint32_t *code;         /* 40: instruction words */
  uint64_t *k;                  /* 48: constants as Values (strings interned) */
  struct tj_proto **child;      /* 56 */
  uint16_t *uvdesc;             /* 64: bit 15 = in parent frame, low 15 bits = index */
  void *owner;                  /* 72: retained Swift Proto (debug info, source name) */
  void *jit;                    /* 80: reserved for the JIT / hotness data */
  void *interp;                 /* 88: reserved for the interpreter */
  uint32_t nclosures;           /* 96: closures made of it so far (saturates; the JIT's
                                   "more than one closure" test) */
  uint32_t pad3;
} tj_proto;

/* Lua closure. */
typedef struct tj_lfunc {
  TJ_GCHEADER;
  uint8_t nupvals;              /* 10 */
  uint8_t pad;
  uint32_t pad2;
  tj_proto *proto;              /* 16 */
  struct tj_table *env;         /* 24 */
  tj_upval *upvals[];           /* 32 */
} tj_lfunc;

/* Native function: a builtin (index into the interpreter's table of Swift builtins) with inline
** upvalue Values. */
typedef struct tj_cfunc {
  TJ_GCHEADER;
  uint8_t nupvals;              /* 10 */
  uint8_t pad;
  uint32_t builtin;             /* 12 */
  struct tj_table *env;         /* 16 */
  uint64_t upvals[];            /* 24 */
} tj_cfunc;

/* Coroutine status (thread->status). */
enum {
  TJ_CO_SUSPENDED = 0, TJ_CO_RUNNING, TJ_CO_NORMAL, TJ_CO_DEAD, TJ_CO_ERROR
};

/* Coroutine. The GC marks stack[0 .. top-1], env and the open upvalues, then calls the runtime's
** thread hook for anything the interpreter keeps elsewhere. */
typedef struct tj_thread {
  TJ_GCHEADER;
  uint8_t status;               /* 10: TJ_CO_* */
  uint8_t pad;
  uint32_t stacksize;           /* 12: slots */
  uint64_t *stack;              /* 16: owned by the heap; a fixed mmap reservation, never moves */
  uint32_t top;                 /* 24: slots [0, top) are live for the GC */
  uint32_t pad2;
  tj_upval *openupval;          /* 32 */
  struct tj_table *env;         /* 40 */
  struct tj_thread *nextthread; /* 48: heap's list of all threads */
  uint64_t *base;               /* 56: interpreter: current frame base (when not running) */
  const uint32_t *pc;           /* 64: interpreter: saved pc */
  void *interp;                 /* 72: interpreter-owned state */
  struct tj_thread *resumer;    /* 80: while this thread runs, the thread that resumed it (either way:
                                   in the interpreter loop or nested); NULL otherwise. Only the
                                   profiler reads it, to join a coroutine's stack to its resumer's */
  uint64_t reserved[3];         /* 88 */
} tj_thread;

/* Full userdata; payload 16-byte aligned. */
#define TJ_UDATA_FINALIZED 0x01u   /* its __gc has been queued once; never again */

typedef struct tj_udata {
  TJ_GCHEADER;
  uint8_t udflags;              /* 10: TJ_UDATA_* */
  uint8_t pad[5];
  struct tj_table *metatable;   /* 16 */
  struct tj_table *env;         /* 24 */
  uint64_t len;                 /* 32 */
  uint64_t pad2;                /* 40 */
  uint8_t payload[];            /* 48 */
} tj_udata;

/* ---- VM state published to the signal handler (ARCHITECTURE decision 6) ---------------------- */

enum {
  TJ_VMSTATE_IDLE = 0,
  TJ_VMSTATE_INTERP,
  TJ_VMSTATE_TRACE,       /* running trace number `trace` */
  TJ_VMSTATE_GC,
  TJ_VMSTATE_COMPILE,
  TJ_VMSTATE_LIBRARY,     /* in a native library function */
  TJ_VMSTATE_RECORD,
};

typedef struct tj_vmstate_s {
  volatile uint32_t tag;              /* TJ_VMSTATE_* */
  volatile uint32_t trace;            /* trace number when tag == TJ_VMSTATE_TRACE */
  tj_thread *volatile thread;         /* running coroutine */
  uint64_t *volatile base;            /* its current frame base */
  tj_proto *volatile proto;           /* prototype of the running frame */
  const uint32_t *volatile pc;        /* current instruction */
  volatile uint32_t libfunc;          /* builtin index when tag == TJ_VMSTATE_LIBRARY */
  volatile uint32_t seq;              /* bumped by writers around multi-field updates (optional) */
  volatile uint32_t code_epoch;       /* JIT code generation: changes whenever installed trace code
                                         is dropped (a flush), so a sampled address inside JIT code
                                         is looked up in the code map of its own generation */
  volatile uint64_t last_exit;        /* the side exit the interpreter came back from, while its
                                         cost lasts (TJ_EXIT_* packing below; 0: none). The JIT
                                         sets it when it restores an exit and clears it when a trace
                                         is entered, a recording starts or the traces are flushed,
                                         so a sample with it set lies in the exit's handling (tag
                                         TRACE) or in the interpretation after it (tag INTERP). */
} tj_vmstate_t;

/* last_exit packing: trace id, snapshot index and an exit-event sequence number (it tells two
** takings of the same exit apart; wraps). One 64-bit store, so the handler never sees half. */
#define TJ_EXIT_TRACE_BITS 24
#define TJ_EXIT_SNAP_BITS  16
#define TJ_EXIT_SEQ_SHIFT  (TJ_EXIT_TRACE_BITS + TJ_EXIT_SNAP_BITS)

/* The packed exit event; 0 (never credited) when the trace id or snapshot does not fit. */
static inline uint64_t tj_exit_pack(int64_t trace, int64_t snap, uint64_t seq) {
  if (trace <= 0 || trace >= (1LL << TJ_EXIT_TRACE_BITS) || snap < 0 || snap >= (1LL << TJ_EXIT_SNAP_BITS)) return 0;
  return (uint64_t)trace | (uint64_t)snap << TJ_EXIT_TRACE_BITS | seq << TJ_EXIT_SEQ_SHIFT;
}
static inline uint32_t tj_exit_trace(uint64_t e) { return (uint32_t)(e & ((1ull << TJ_EXIT_TRACE_BITS) - 1)); }
static inline uint32_t tj_exit_snap(uint64_t e) { return (uint32_t)(e >> TJ_EXIT_TRACE_BITS & ((1ull << TJ_EXIT_SNAP_BITS) - 1)); }

extern tj_vmstate_t tj_vm_state;

/* ---- Helpers implemented in tj_vm.c ---------------------------------------------------------- */

/* The shared empty hash part of tables without one, and the array pointer of tables without an
** array part (never written; `array` and `node` are never NULL). */
extern tj_node tj_empty_node;
extern uint64_t tj_empty_array[2];
static inline tj_node *tj_empty_node_ptr(void) { return &tj_empty_node; }
static inline uint64_t *tj_empty_array_ptr(void) { return tj_empty_array; }

/* Truncating double -> int64 conversion without range checks (cvttsd2si); only call it with
** |d| < 2^63 (table code checks the array range first). */
static inline int64_t tj_d2i(double d) { return (int64_t)d; }

/* 64 random bits from the kernel (for hash seeds), or a fallback mixing time and addresses. */
uint64_t tj_random_seed(void);

/* Formats a number as Lua/LuaJIT print it ("%.14g", "inf", "-inf", "nan", "-0") into buf (at least
** TJ_NUMBUF bytes); returns the length. */
#define TJ_NUMBUF 32
int tj_num2str(double d, char *buf);

/* snprintf(buf, size, spec, d) for a spec with one double conversion (string.format's float
** specs; Swift's withVaList allocates per call). */
int tj_format_double(char *buf, size_t size, const char *spec, double d);

/* Lua 5.1 string -> number (luaO_str2d, as LuaJIT accepts it): optional whitespace, a decimal or
** hexadecimal ("0x") number as strtod reads it, optional whitespace, nothing else; len bytes at s
** (an embedded NUL fails). Returns 1 and stores *out on success, 0 otherwise. */
int tj_str2num(const char *s, size_t len, double *out);

#ifdef __cplusplus
}
#endif
#endif
