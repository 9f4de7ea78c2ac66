/*
** tj_vm.c: the few runtime helpers that are simplest in C (number formatting and parsing through
** the C library) and the globals declared in tj_vm.h.
*/
#include "tj_vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

tj_vmstate_t tj_vm_state;

tj_node tj_empty_node = { TJ_VALUE_NIL, TJ_VALUE_NIL, NULL };
uint64_t tj_empty_array[2] = { TJ_VALUE_NIL, TJ_VALUE_NIL };

int tj_num2str(double d, char *buf)
{
  if (d != d) { memcpy(buf, "nan", 4); return 3; }          /* LuaJIT prints both NaNs as "nan" */
  if (d > 1.7976931348623157e308) { memcpy(buf, "inf", 4); return 3; }
  if (d < -1.7976931348623157e308) { memcpy(buf, "-inf", 5); return 4; }
  return snprintf(buf, TJ_NUMBUF, "%.14g", d);
}

static int tj_isspace(unsigned char c)
{
  return c == ' ' || (c >= '\t' && c <= '\r');
}

int tj_str2num(const char *s, size_t len, double *out)
{
  char small[64];
  char *buf = small, *end;
  const char *p;
  double d;
  if (memchr(s, 0, len) != NULL) return 0;                     /* embedded NUL */
  while (len > 0 && tj_isspace((unsigned char)*s)) { s++; len--; }
  while (len > 0 && tj_isspace((unsigned char)s[len - 1])) len--;
  if (len == 0) return 0;
  if (len >= sizeof(small)) {
    buf = (char *)malloc(len + 1);
    if (buf == NULL) return 0;
  }
  memcpy(buf, s, len);
  buf[len] = 0;
  d = strtod(buf, &end);
  p = end;
  if (p == buf || p != buf + len) {
    if (buf != small) free(buf);
    return 0;
  }
  if (buf != small) free(buf);
  if (d != d) {                                                 /* keep NaN payloads out of the tag space */
    uint64_t nb = TJ_CANONICAL_NAN;
    memcpy(&d, &nb, sizeof d);
  }
  *out = d;
  return 1;
}

uint64_t tj_random_seed(void)
{
  uint64_t s = 0;
  if (getrandom(&s, sizeof s, GRND_NONBLOCK) != (ssize_t)sizeof s) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s = (uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&s;
  }
  return s;
}
