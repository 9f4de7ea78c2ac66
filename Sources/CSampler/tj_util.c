/* tj_util.c: clocks, gzip through zlib, and a known CPU-bound function for the sampler tests. */
#include "tj_sampler.h"

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <zlib.h>

/* clock_gettime in nanoseconds (0 if the clock cannot be read); async-signal-safe. */
static uint64_t tj_clock_ns(clockid_t clock) {
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) return 0;
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t tj_thread_cpu_ns(void) { return tj_clock_ns(CLOCK_THREAD_CPUTIME_ID); }

uint64_t tj_monotonic_ns(void) { return tj_clock_ns(CLOCK_MONOTONIC); }

int tj_gettid(void) { return (int)syscall(SYS_gettid); }

void tj_free(void *p) { free(p); }

static int zrun(int inflating, const uint8_t *in, size_t len, uint8_t **out, size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof z);
  int rc = inflating ? inflateInit2(&z, 15 + 16) : deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  if (rc != Z_OK) return -1;
  size_t cap = len / 2 + 64, used = 0;
  uint8_t *buf = malloc(cap);
  if (!buf) goto fail;
  z.next_in = (Bytef *)in;
  z.avail_in = (uInt)len;
  for (;;) {
    if (used == cap) {
      cap *= 2;
      uint8_t *nb = realloc(buf, cap);
      if (!nb) goto fail;
      buf = nb;
    }
    z.next_out = buf + used;
    z.avail_out = (uInt)(cap - used);
    rc = inflating ? inflate(&z, Z_NO_FLUSH) : deflate(&z, Z_FINISH);
    used = cap - z.avail_out;
    if (rc == Z_STREAM_END) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) goto fail;
    if (rc == Z_BUF_ERROR && z.avail_out != 0) goto fail; /* truncated input */
  }
  if (inflating) inflateEnd(&z); else deflateEnd(&z);
  *out = buf;
  *out_len = used;
  return 0;
fail:
  if (inflating) inflateEnd(&z); else deflateEnd(&z);
  free(buf);
  return -1;
}

int tj_gzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len) { return zrun(0, in, len, out, out_len); }
int tj_gunzip(const uint8_t *in, size_t len, uint8_t **out, size_t *out_len) { return zrun(1, in, len, out, out_len); }

__attribute__((noinline)) double tj_test_busy_leaf(double x, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    x = x * 1.0000001 + 0.5;
    if (x > 1e9) x -= 1e9;
    __asm__ volatile("" : "+x"(x));
  }
  return x;
}

__attribute__((noinline)) double tj_test_busy_loop(uint64_t iterations) {
  double x = 1.0;
  for (uint64_t done = 0; done < iterations; done += 4096) x = tj_test_busy_leaf(x, 4096);
  __asm__ volatile("" ::: "memory");
  return x;
}

typedef char *(*cxa_demangle_fn)(const char *, char *, size_t *, int *);

char *tj_cxx_demangle(const char *mangled) {
  static cxa_demangle_fn fn;
  static int looked;
  if (!looked) {
    fn = (cxa_demangle_fn)dlsym(RTLD_DEFAULT, "__cxa_demangle");
    looked = 1;
  }
  if (!fn || !mangled) return NULL;
  int status = 0;
  char *out = fn(mangled, NULL, NULL, &status);
  if (status != 0) { free(out); return NULL; }
  return out;
}

/* For tests of the handler's pc refinement: walks a pointer through code[from, n) in r12 (inline
 * asm, so it sits in a register whatever the optimization level), a short spin per step, `rounds`
 * times. */
__attribute__((noinline)) void tj_test_walk_code(const uint32_t *code, uint32_t from, uint32_t n, uint64_t rounds) {
  if (!code || from >= n) return;
  for (uint64_t r = 0; r < rounds; r++) {
    __asm__ volatile(
        "lea (%0,%q1,4), %%r12\n\t"
        "lea (%0,%q2,4), %%r13\n\t"
        "1:\n\t"
        "mov $200, %%ecx\n\t"
        "2:\n\t"
        "dec %%ecx\n\t"
        "jnz 2b\n\t"
        "add $4, %%r12\n\t"
        "cmp %%r13, %%r12\n\t"
        "jb 1b\n\t"
        :
        : "r"(code), "r"(from), "r"(n)
        : "r12", "r13", "rcx", "cc", "memory");
  }
}
