/*
** tj_vm.c: the few runtime helpers that are simplest in C (number formatting and parsing through
** the C library) and the globals declared in tj_vm.h.
*/
#include "tj_vm.h"

#include <math.h>
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
  if (d > -1e14 && d < 1e14) {
    /* Integers of at most 14 digits print exactly under %.14g: format them directly. */
    int64_t i = (int64_t)d;
    if ((double)i == d && !(i == 0 && signbit(d))) {
      char tmp[24];
      int n = 0, len = 0;
      uint64_t u = i < 0 ? (uint64_t)(-i) : (uint64_t)i;
      do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u != 0);
      if (i < 0) buf[len++] = '-';
      while (n > 0) buf[len++] = tmp[--n];
      buf[len] = 0;
      return len;
    }
  }
  if (d > 1.7976931348623157e308) { memcpy(buf, "inf", 4); return 3; }
  if (d < -1.7976931348623157e308) { memcpy(buf, "-inf", 5); return 4; }
  {
    /* LuaJIT rounds exact ties (the decimal expansion is 14 digits then exactly 5) away from zero;
    ** glibc rounds them to even. Detect a tie and format the next double away from zero instead. */
    char digits[32];
    snprintf(digits, sizeof digits, "%.16e", d < 0 ? -d : d);   /* d.dddddddddddddddde+XX */
    if (digits[15] == '5' && digits[16] == '0' && digits[17] == '0') {
      char exact[800];
      int n = snprintf(exact, sizeof exact, "%.780e", d < 0 ? -d : d), k, tie = 1;
      for (k = 16; k < n && exact[k] != 'e'; k++)
        if (exact[k] != '0') { tie = 0; break; }
      if (tie) d = nextafter(d, d < 0 ? -HUGE_VAL : HUGE_VAL);
    }
  }
  return snprintf(buf, TJ_NUMBUF, "%.14g", d);
}

int tj_format_double(char *buf, size_t size, const char *spec, double d)
{
  return snprintf(buf, size, spec, d);
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
  while (len > 0 && tj_isspace((unsigned char)*s)) { s++; len--; }
  while (len > 0 && tj_isspace((unsigned char)s[len - 1])) len--;
  if (len == 0) return 0;
  {
    /* Fast path: an optional sign and at most 15 decimal digits is exact as a double. */
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (len > i && len - i <= 15) {
      uint64_t v = 0;
      size_t j = i;
      while (j < len && s[j] >= '0' && s[j] <= '9') v = v * 10 + (uint64_t)(s[j++] - '0');
      if (j == len) {
        double r = (double)v;
        *out = s[0] == '-' ? -r : r;
        return 1;
      }
    }
  }
  {
    /* LuaJIT also reads binary: [sign] 0b digits, at most 64 significant bits. */
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (len > i + 2 && s[i] == '0' && (s[i + 1] == 'b' || s[i + 1] == 'B')) {
      uint64_t v = 0;
      int bits = 0;
      size_t j;
      for (j = i + 2; j < len; j++) {
        if (s[j] != '0' && s[j] != '1') return 0;
        if (bits > 0 || s[j] == '1') {
          if (++bits > 64) return 0;
        }
        v = v << 1 | (uint64_t)(s[j] - '0');
      }
      *out = s[0] == '-' ? -(double)v : (double)v;
      return 1;
    }
  }
  if (memchr(s, 0, len) != NULL) return 0;                     /* embedded NUL */
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
