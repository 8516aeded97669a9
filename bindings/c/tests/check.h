/* A minimal test harness: CHECK() counts, main() ends with "N passed, N failed". */
#ifndef PAYCORE_TEST_CHECK_H
#define PAYCORE_TEST_CHECK_H
#include <stdio.h>
#include <string.h>

static int checks_passed = 0;
static int checks_failed = 0;

#define CHECK(cond)                                                        \
  do {                                                                     \
    if (cond) {                                                            \
      checks_passed++;                                                     \
    } else {                                                               \
      checks_failed++;                                                     \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                      \
  } while (0)

#define CHECK_STR(buf, len, expected) \
  CHECK((len) == strlen(expected) && memcmp((buf), (expected), (len)) == 0)

/* Passes a string literal as pointer + length. */
#define S(lit) (lit), (sizeof(lit) - 1)

static int finish(const char *suite) {
  printf("%s: %d passed, %d failed\n", suite, checks_passed, checks_failed);
  return checks_failed == 0 ? 0 : 1;
}
#endif
