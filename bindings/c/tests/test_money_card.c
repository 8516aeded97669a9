/* Real behaviour of the money and card C API, run under AddressSanitizer + UBSan and valgrind. */
#include "check.h"
#include "paycore.h"
#include <stdlib.h>

static void test_currency(void) {
  paycore_currency c;
  CHECK(paycore_currency_lookup(S("CNY"), &c) == PAYCORE_OK);
  CHECK(strcmp(c.alpha, "CNY") == 0 && c.numeric == 156 && c.exponent == 2);
  CHECK(paycore_currency_lookup(S("392"), &c) == PAYCORE_OK);
  CHECK(strcmp(c.alpha, "JPY") == 0 && c.exponent == 0);
  CHECK(paycore_currency_lookup(S("kwd"), &c) == PAYCORE_OK && c.exponent == 3);
  CHECK(paycore_currency_lookup(S("CLF"), &c) == PAYCORE_OK && c.exponent == 4);
  CHECK(paycore_currency_lookup(S("ZZZ"), &c) == PAYCORE_ERR_UNKNOWN_CURRENCY);
  CHECK(paycore_currency_lookup(NULL, 3, &c) == PAYCORE_ERR_NULL_PARAMETER);
  CHECK(paycore_currency_lookup(S("CNY"), NULL) == PAYCORE_ERR_NULL_PARAMETER);
}

static void test_money(void) {
  paycore_money m = {0, 0};
  char buf[64];
  size_t n = 0;
  CHECK(paycore_money_parse(S("23.72"), S("CNY"), &m) == PAYCORE_OK);
  CHECK(m.minor == 2372 && m.currency == 156);
  CHECK(paycore_money_format(m, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "23.72");
  CHECK(buf[n] == '\0');

  /* Too small a buffer reports the length needed and writes nothing. */
  CHECK(paycore_money_format(m, buf, 3, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n == 5);

  /* Bad input: a typed code and a message that says what and where. */
  paycore_money untouched = {42, 156};
  CHECK(paycore_money_parse(S("1.234"), S("CNY"), &untouched) == PAYCORE_ERR_TOO_MANY_DECIMALS);
  CHECK(untouched.minor == 42); /* outputs are written only on success */
  CHECK(paycore_money_parse(S("12,00"), S("CNY"), &m) == PAYCORE_ERR_MALFORMED_AMOUNT);
  CHECK(paycore_last_error_message(buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK(strstr(buf, "offset 2") != NULL);
  CHECK(paycore_money_parse(S("1e3"), S("CNY"), &m) == PAYCORE_ERR_MALFORMED_AMOUNT);
  CHECK(paycore_money_parse(S(""), S("CNY"), &m) == PAYCORE_ERR_MALFORMED_AMOUNT);
  CHECK(paycore_money_parse(S("1"), S("XXX"), &m) == PAYCORE_ERR_UNKNOWN_CURRENCY);
  CHECK(paycore_money_parse("\xff", 1, S("CNY"), &m) == PAYCORE_ERR_INVALID_UTF8);

  paycore_money a = {INT64_MAX, 156}, b = {1, 156}, usd = {1, 840}, r;
  CHECK(paycore_money_add(a, b, &r) == PAYCORE_ERR_OVERFLOW);
  CHECK(paycore_money_add(b, usd, &r) == PAYCORE_ERR_CURRENCY_MISMATCH);
  CHECK(paycore_money_sub(b, b, &r) == PAYCORE_OK && r.minor == 0);

  /* 123.45 CNY x 0.6% = 74.07 fen: half-up 74, up 75. */
  paycore_money amt = {12345, 156};
  CHECK(paycore_money_mul_rate(amt, S("0.006"), PAYCORE_ROUNDING_HALF_UP, &r) == PAYCORE_OK && r.minor == 74);
  CHECK(paycore_money_mul_rate(amt, S("0.006"), PAYCORE_ROUNDING_UP, &r) == PAYCORE_OK && r.minor == 75);
  /* 0.5 fen: half-up rounds away, half-even to 0. */
  paycore_money one_yuan = {100, 156};
  CHECK(paycore_money_mul_rate(one_yuan, S("0.005"), PAYCORE_ROUNDING_HALF_UP, &r) == PAYCORE_OK && r.minor == 1);
  CHECK(paycore_money_mul_rate(one_yuan, S("0.005"), PAYCORE_ROUNDING_HALF_EVEN, &r) == PAYCORE_OK && r.minor == 0);
  CHECK(paycore_money_mul_rate(amt, S("0.006"), 99, &r) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(paycore_money_mul_rate(amt, S("6e-3"), PAYCORE_ROUNDING_UP, &r) == PAYCORE_ERR_MALFORMED_AMOUNT);

  /* Allocation: 100 fen three ways is 34/33/33 and always sums back. */
  uint64_t w[3] = {1, 1, 1};
  paycore_money parts[3];
  CHECK(paycore_money_allocate(one_yuan, w, 3, parts) == PAYCORE_OK);
  CHECK(parts[0].minor == 34 && parts[1].minor == 33 && parts[2].minor == 33);
  uint64_t zero[2] = {0, 0};
  CHECK(paycore_money_allocate(one_yuan, zero, 2, parts) == PAYCORE_ERR_INVALID_WEIGHTS);
  CHECK(paycore_money_allocate(one_yuan, NULL, 2, parts) == PAYCORE_ERR_NULL_PARAMETER);
}

static void test_card(void) {
  char buf[64];
  size_t n = 0;
  CHECK(paycore_luhn_valid(S("6230606601007726888")));
  CHECK(!paycore_luhn_valid(S("1234567890123458")));
  CHECK(!paycore_luhn_valid(NULL, 0));
  CHECK(paycore_brand_detect(S("6228480012345676789")) == PAYCORE_BRAND_UNION_PAY);
  CHECK(paycore_brand_detect(S("8171000000000000")) == PAYCORE_BRAND_UNION_PAY);
  CHECK(paycore_brand_detect(S("2720990000000000")) == PAYCORE_BRAND_MASTERCARD);
  CHECK(strcmp(paycore_brand_name(PAYCORE_BRAND_VISA), "visa") == 0);
  CHECK(strcmp(paycore_brand_name(12345), "unknown") == 0);

  paycore_pan *pan = NULL;
  CHECK(paycore_pan_parse(S("6228480012345676789"), &pan) == PAYCORE_OK && pan != NULL);
  CHECK(paycore_pan_brand(pan) == PAYCORE_BRAND_UNION_PAY);
  CHECK(paycore_pan_masked(pan, PAYCORE_MASK_FIRST6_LAST4, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "622848*********6789");
  CHECK(paycore_pan_masked(pan, PAYCORE_MASK_LAST4, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "***************6789");
  CHECK(paycore_pan_masked(pan, 7, buf, sizeof buf, &n) == PAYCORE_ERR_INVALID_ARGUMENT);
  paycore_pan_free(pan);
  paycore_pan_free(NULL);

  paycore_pan *bad = NULL;
  CHECK(paycore_pan_parse(S("62284800123x5676789"), &bad) == PAYCORE_ERR_INVALID_PAN && bad == NULL);
  CHECK(paycore_last_error_message(buf, sizeof buf, &n) == PAYCORE_OK && strstr(buf, "offset 11"));
  CHECK(strstr(buf, "6228480012") == NULL); /* errors never echo the PAN */
  CHECK(paycore_pan_parse(S("12345"), &bad) == PAYCORE_ERR_INVALID_PAN);

  paycore_track2 *t = NULL;
  CHECK(paycore_track2_parse(S("6228480012345676789D29122011234567F"), &t) == PAYCORE_OK);
  uint16_t year = 0;
  uint8_t month = 0;
  CHECK(paycore_track2_expiry(t, &year, &month) == PAYCORE_OK && year == 2029 && month == 12);
  CHECK(paycore_track2_service_code(t, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "201");
  CHECK(paycore_track2_masked(t, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK(strstr(buf, "622848*********6789=") == buf && strstr(buf, "2912") == NULL);
  bool expired = true;
  CHECK(paycore_track2_is_expired(t, 2029, 12, 31, &expired) == PAYCORE_OK && !expired);
  CHECK(paycore_track2_is_expired(t, 2030, 1, 1, &expired) == PAYCORE_OK && expired);
  CHECK(paycore_track2_is_expired(t, 2030, 2, 30, &expired) == PAYCORE_ERR_INVALID_ARGUMENT);
  paycore_pan *tp = NULL;
  CHECK(paycore_track2_pan(t, &tp) == PAYCORE_OK);
  CHECK(paycore_pan_digits(tp, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "6228480012345676789");
  paycore_pan_free(tp);
  paycore_track2_free(t);
  CHECK(paycore_track2_parse(S("6228480012345676789"), &t) == PAYCORE_ERR_INVALID_TRACK2);
}

static void test_result_text(void) {
  char buf[80];
  size_t n = 0;
  CHECK(paycore_result_description(PAYCORE_ERR_OVERFLOW, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "amount overflow");
  CHECK(paycore_result_description(999999, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "unknown result code");
}

int main(void) {
  test_currency();
  test_money();
  test_card();
  test_result_text();
  return finish("c money+card");
}
