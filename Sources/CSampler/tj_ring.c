/*
 * tj_ring.c: the preallocated lock-free single-producer/single-consumer sample ring.
 *
 * The producer is the SIGPROF handler on the VM thread; the consumer is the profiler's drain
 * thread (or the VM thread itself after stopping). head and tail are free-running 64-bit
 * counters on separate cache lines; a slot is (counter & mask). The producer publishes a filled
 * slot with a release store of head, the consumer frees it with a release store of tail; each
 * reads the other's counter with acquire. A full ring refuses the record and counts the drop
 * (and its weight), so losses are reported, never silent. Records are filled in place
 * (begin_write/commit_write): the handler never copies a kilobyte through its own stack.
 */
#include "tj_sampler.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct tj_ring {
  _Alignas(64) _Atomic uint64_t head;   /* written by the producer */
  _Alignas(64) _Atomic uint64_t tail;   /* written by the consumer */
  _Alignas(64) _Atomic uint64_t dropped;
  _Atomic uint64_t dropped_weight;
  uint64_t mask;
  tj_sample *slots;
};

tj_ring *tj_ring_create(uint32_t capacity) {
  uint64_t cap = 2;
  while (cap < capacity && cap < (1u << 24)) cap <<= 1;
  tj_ring *r = aligned_alloc(64, sizeof(tj_ring));
  if (!r) return NULL;
  memset(r, 0, sizeof *r);
  r->mask = cap - 1;
  r->slots = calloc(cap, sizeof(tj_sample)); /* touched now: no page faults in the handler */
  if (!r->slots) { free(r); return NULL; }
  memset(r->slots, 0, cap * sizeof(tj_sample));
  return r;
}

void tj_ring_destroy(tj_ring *r) {
  if (!r) return;
  free(r->slots);
  free(r);
}

uint32_t tj_ring_capacity(const tj_ring *r) { return (uint32_t)(r->mask + 1); }

tj_sample *tj_ring_begin_write(tj_ring *r) {
  uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
  uint64_t t = atomic_load_explicit(&r->tail, memory_order_acquire);
  if (h - t > r->mask) return NULL; /* full */
  return &r->slots[h & r->mask];
}

void tj_ring_commit_write(tj_ring *r) {
  uint64_t h = atomic_load_explicit(&r->head, memory_order_relaxed);
  atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

void tj_ring_add_dropped(tj_ring *r, uint32_t weight) {
  atomic_fetch_add_explicit(&r->dropped, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&r->dropped_weight, weight, memory_order_relaxed);
}

int tj_ring_push(tj_ring *r, const tj_sample *s) {
  tj_sample *slot = tj_ring_begin_write(r);
  if (!slot) { tj_ring_add_dropped(r, s->weight); return 0; }
  memcpy(slot, s, sizeof *s);
  tj_ring_commit_write(r);
  return 1;
}

int tj_ring_pop(tj_ring *r, tj_sample *out) {
  uint64_t t = atomic_load_explicit(&r->tail, memory_order_relaxed);
  uint64_t h = atomic_load_explicit(&r->head, memory_order_acquire);
  if (t == h) return 0;
  memcpy(out, &r->slots[t & r->mask], sizeof *out);
  atomic_store_explicit(&r->tail, t + 1, memory_order_release);
  return 1;
}

uint64_t tj_ring_count(const tj_ring *r) {
  uint64_t h = atomic_load_explicit(&((tj_ring *)r)->head, memory_order_acquire);
  uint64_t t = atomic_load_explicit(&((tj_ring *)r)->tail, memory_order_acquire);
  return h - t;
}

uint64_t tj_ring_dropped(const tj_ring *r) {
  return atomic_load_explicit(&((tj_ring *)r)->dropped, memory_order_relaxed);
}

uint64_t tj_ring_dropped_weight(const tj_ring *r) {
  return atomic_load_explicit(&((tj_ring *)r)->dropped_weight, memory_order_relaxed);
}
