/* Real behaviour of the security C API (published vectors from core/tests/security_vectors.rs),
 * run under AddressSanitizer + UBSan and valgrind. */
#include "check.h"
#include "paycore.h"
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>

#define PAN4 "4012345678909"

/* Hex text -> bytes (test helper; returns the byte count). */
static size_t unhex(const char *hex, uint8_t *out) {
  size_t n = strlen(hex) / 2;
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
  return n;
}

static int bytes_eq_hex(const uint8_t *b, size_t n, const char *hex) {
  uint8_t want[128];
  size_t m = unhex(hex, want);
  return n == m && memcmp(b, want, n) == 0;
}

static paycore_key *key_hex(uint32_t alg, const char *hex) {
  paycore_key *k = NULL;
  CHECK(paycore_key_from_hex(alg, hex, strlen(hex), &k) == PAYCORE_OK && k != NULL);
  return k;
}

static void last_error(char *buf, size_t len) {
  size_t n = 0;
  if (paycore_last_error_message(buf, len, &n) != PAYCORE_OK) buf[0] = '\0';
}

/* Case-insensitive substring search. */
static int contains_ci(const char *hay, const char *needle) {
  size_t nl = strlen(needle);
  for (const char *p = hay; *p; p++) {
    size_t i = 0;
    while (i < nl && p[i] && toupper((unsigned char)p[i]) == toupper((unsigned char)needle[i])) i++;
    if (i == nl) return 1;
  }
  return 0;
}

static void test_keys_and_kcv(void) {
  paycore_key *k = key_hex(PAYCORE_KEY_TDES2, "0123456789ABCDEFFEDCBA9876543210");
  char text[64];
  uint8_t b[64];
  size_t n = 0;
  CHECK(paycore_key_get_algorithm(k) == PAYCORE_KEY_TDES2);
  CHECK(paycore_key_length(k) == 16);
  CHECK(paycore_key_check_value_hex(k, text, sizeof text, &n) == PAYCORE_OK);
  CHECK_STR(text, n, "08D7B4");
  CHECK(paycore_kcv_legacy(k, 3, b, sizeof b, &n) == PAYCORE_OK && bytes_eq_hex(b, n, "08D7B4"));
  CHECK(paycore_kcv_legacy(k, 3, b, 2, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n == 3);
  CHECK(paycore_kcv_verify(k, false, b, 3) == PAYCORE_OK);
  b[2] ^= 1;
  CHECK(paycore_kcv_verify(k, false, b, 3) == PAYCORE_ERR_CHECK_VALUE);
  CHECK(paycore_key_export_bytes(k, b, sizeof b, &n) == PAYCORE_OK &&
        bytes_eq_hex(b, n, "0123456789ABCDEFFEDCBA9876543210"));
  CHECK(paycore_kcv_sm4(k, b, sizeof b, &n) == PAYCORE_ERR_KEY_ALGORITHM);
  paycore_key_free(k);

  /* go8583 log: MAK DAB36167E6DFB5EF has the 4-byte check value B8F616DC. */
  k = key_hex(PAYCORE_KEY_DES, "DAB36167E6DFB5EF");
  CHECK(paycore_kcv_legacy(k, 4, b, sizeof b, &n) == PAYCORE_OK && bytes_eq_hex(b, n, "B8F616DC"));
  paycore_key_free(k);

  k = key_hex(PAYCORE_KEY_AES128, "00000000000000000000000000000000");
  CHECK(paycore_kcv_cmac(k, b, sizeof b, &n) == PAYCORE_OK && n == 5);
  paycore_key_free(k);
  k = key_hex(PAYCORE_KEY_SM4, "0123456789ABCDEFFEDCBA9876543210");
  CHECK(paycore_kcv_sm4(k, b, sizeof b, &n) == PAYCORE_OK && n == 8);
  paycore_key_free(k);

  /* Bad input: wrong length, odd hex, enum out of range; nothing written. */
  paycore_key *untouched = (paycore_key *)0x1;
  CHECK(paycore_key_new(PAYCORE_KEY_TDES2, b, 8, &untouched) == PAYCORE_ERR_KEY_LENGTH);
  CHECK(untouched == (paycore_key *)0x1);
  last_error(text, sizeof text);
  CHECK(strstr(text, "16 bytes, got 8") != NULL);
  CHECK(paycore_key_from_hex(PAYCORE_KEY_DES, S("0123456789ABCDE"), &untouched) == PAYCORE_ERR_HEX);
  CHECK(paycore_key_new(7, b, 8, &untouched) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(paycore_key_new(PAYCORE_KEY_DES, b, 8, NULL) == PAYCORE_ERR_NULL_PARAMETER);
  CHECK(untouched == (paycore_key *)0x1);
  paycore_key_free(NULL);
}

static void test_pin_blocks(void) {
  uint8_t b[32];
  char pin[16];
  size_t n = 0;
  CHECK(paycore_pin_block_build(PAYCORE_PIN_ISO0, S("1234"), S(PAN4), NULL, 0, b, sizeof b, &n) ==
        PAYCORE_OK);
  CHECK(bytes_eq_hex(b, n, "041274EDCBA9876F"));
  CHECK(paycore_pin_block_recover(PAYCORE_PIN_ISO0, b, n, S(PAN4), pin, sizeof pin, &n) == PAYCORE_OK);
  CHECK_STR(pin, n, "1234");
  CHECK(paycore_pin_block_build(PAYCORE_PIN_ISO2, S("1234"), NULL, 0, NULL, 0, b, sizeof b, &n) ==
        PAYCORE_OK);
  CHECK(bytes_eq_hex(b, n, "241234FFFFFFFFFF"));

  /* X9.24-1 A.4: the DUKPT PIN key of KSN ...E00001 encrypts it to 1B9C1845EB993A7A. */
  paycore_key *bdk = key_hex(PAYCORE_KEY_TDES2, "0123456789ABCDEFFEDCBA9876543210");
  paycore_key *tk = NULL, *pek = NULL;
  uint8_t ksn[10];
  unhex("FFFF9876543210E00001", ksn);
  CHECK(paycore_dukpt_tdes_transaction_key(bdk, ksn, 10, &tk) == PAYCORE_OK);
  CHECK(paycore_dukpt_tdes_usage_key(tk, PAYCORE_DUKPT_TDES_PIN, &pek) == PAYCORE_OK);
  CHECK(paycore_pin_block_encrypt(pek, PAYCORE_PIN_ISO0, S("1234"), S(PAN4), NULL, 0, b, sizeof b,
                                  &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(b, n, "1B9C1845EB993A7A"));
  CHECK(paycore_pin_block_decrypt(pek, PAYCORE_PIN_ISO0, b, n, S(PAN4), pin, sizeof pin, &n) ==
        PAYCORE_OK);
  CHECK_STR(pin, n, "1234");

  /* ISO-4 under AES with caller randomness round-trips. */
  paycore_key *aes = key_hex(PAYCORE_KEY_AES128, "000102030405060708090A0B0C0D0E0F");
  const uint8_t rnd[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(paycore_pin_block_encrypt(aes, PAYCORE_PIN_ISO4, S("987654"), S(PAN4), rnd, 8, b, sizeof b,
                                  &n) == PAYCORE_OK && n == 16);
  CHECK(paycore_pin_block_decrypt(aes, PAYCORE_PIN_ISO4, b, n, S(PAN4), pin, sizeof pin, &n) ==
        PAYCORE_OK);
  CHECK_STR(pin, n, "987654");

  /* SM4 PIN, both layouts. */
  paycore_key *sm4 = key_hex(PAYCORE_KEY_SM4, "0123456789ABCDEFFEDCBA9876543210");
  for (uint32_t layout = 0; layout < 2; layout++) {
    CHECK(paycore_sm4_pin_encrypt(sm4, layout, S("123456"), S("6228480012345676789"), b, sizeof b,
                                  &n) == PAYCORE_OK && n == 16);
    CHECK(paycore_sm4_pin_decrypt(sm4, layout, b, n, S("6228480012345676789"), pin, sizeof pin, &n) ==
          PAYCORE_OK);
    CHECK_STR(pin, n, "123456");
  }
  CHECK(paycore_sm4_pin_encrypt(sm4, 2, S("1234"), S(PAN4), b, sizeof b, &n) ==
        PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(paycore_sm4_pin_encrypt(pek, 0, S("1234"), S(PAN4), b, sizeof b, &n) ==
        PAYCORE_ERR_KEY_ALGORITHM);

  /* Bad input. */
  CHECK(paycore_pin_block_build(PAYCORE_PIN_ISO0, S("123"), S(PAN4), NULL, 0, b, sizeof b, &n) ==
        PAYCORE_ERR_PIN_INPUT);
  CHECK(paycore_pin_block_build(PAYCORE_PIN_ISO0, S("1234"), NULL, 0, NULL, 0, b, sizeof b, &n) ==
        PAYCORE_ERR_PIN_INPUT);
  CHECK(paycore_pin_block_build(PAYCORE_PIN_ISO1, S("1234"), NULL, 0, NULL, 0, b, sizeof b, &n) ==
        PAYCORE_ERR_PIN_INPUT);
  CHECK(paycore_pin_block_build(5, S("1234"), NULL, 0, NULL, 0, b, sizeof b, &n) ==
        PAYCORE_ERR_INVALID_ARGUMENT);
  unhex("041274EDCBA9876F", b);
  CHECK(paycore_pin_block_recover(PAYCORE_PIN_ISO2, b, 8, NULL, 0, pin, sizeof pin, &n) ==
        PAYCORE_ERR_PIN_BLOCK);
  CHECK(paycore_pin_block_decrypt(pek, PAYCORE_PIN_ISO0, b, 7, S(PAN4), pin, sizeof pin, &n) ==
        PAYCORE_ERR_SECURITY_LENGTH);
  paycore_key_free(sm4);
  paycore_key_free(aes);
  paycore_key_free(pek);
  paycore_key_free(tk);
  paycore_key_free(bdk);
}

static const char MAB_HEX[] =
    "02003020048000C08031000000000000000001000001032000"
    "3232303033363030313034353132353431313130303031313536"
    "0024413330313936323131313131313131313131313131313131"
    "001322006603000600";

static void test_macs(void) {
  uint8_t mab[128], b[32];
  size_t mab_len = unhex(MAB_HEX, mab), n = 0;
  paycore_key *x99 = key_hex(PAYCORE_KEY_DES, "0123456789ABCDEF");
  CHECK(paycore_mac_compute(PAYCORE_MAC_X9_9, x99, (const uint8_t *)S("7654321 Now is the time for "),
                            b, sizeof b, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(b, n, "F1D30F6849312CA4"));
  CHECK(paycore_mac_verify(PAYCORE_MAC_X9_9, x99, (const uint8_t *)S("7654321 Now is the time for "),
                           b, 4) == PAYCORE_OK);
  paycore_key *x919 = key_hex(PAYCORE_KEY_TDES2, "0123456789ABCDEFFEDCBA9876543210");
  CHECK(paycore_mac_compute(PAYCORE_MAC_X9_19, x919, (const uint8_t *)S("Now is the time for all "),
                            b, sizeof b, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(b, n, "A1C72E74EA3FA9B6"));
  paycore_key *mak = key_hex(PAYCORE_KEY_DES, "DAB36167E6DFB5EF");
  CHECK(paycore_mac_compute(PAYCORE_MAC_CUP_ECB, mak, mab, mab_len, b, sizeof b, &n) == PAYCORE_OK);
  CHECK(n == 8 && memcmp(b, "E5805ECB", 8) == 0);
  CHECK(paycore_mac_verify(PAYCORE_MAC_CUP_ECB, mak, mab, mab_len, (const uint8_t *)"E5805ECB", 8) ==
        PAYCORE_OK);
  CHECK(paycore_mac_verify(PAYCORE_MAC_CUP_ECB, mak, mab, mab_len, (const uint8_t *)"E5805ECC", 8) ==
        PAYCORE_ERR_MAC_MISMATCH);
  CHECK(paycore_mac_compute(6, mak, mab, mab_len, b, sizeof b, &n) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(paycore_mac_compute(PAYCORE_MAC_CUP_SM4, mak, mab, mab_len, b, sizeof b, &n) ==
        PAYCORE_ERR_KEY_ALGORITHM);
  CHECK(paycore_mac_compute(PAYCORE_MAC_CUP_ECB, NULL, mab, mab_len, b, sizeof b, &n) ==
        PAYCORE_ERR_NULL_PARAMETER);
  paycore_key *sm4 = key_hex(PAYCORE_KEY_SM4, "0123456789ABCDEFFEDCBA9876543210");
  CHECK(paycore_mac_compute(PAYCORE_MAC_CUP_SM4_HEX, sm4, mab, mab_len, b, sizeof b, &n) ==
        PAYCORE_OK && n == 8);
  CHECK(paycore_mac_compute(PAYCORE_MAC_CMAC, sm4, mab, mab_len, b, sizeof b, &n) == PAYCORE_OK &&
        n == 16);
  paycore_key_free(sm4);
  paycore_key_free(mak);
  paycore_key_free(x919);
  paycore_key_free(x99);
}

static void test_sign_on(void) {
  paycore_key *tmk = key_hex(PAYCORE_KEY_TDES2, "11111111111111112222222222222222");
  paycore_key *pik = key_hex(PAYCORE_KEY_TDES2, "0123456789ABCDEFFEDCBA9876543210");
  paycore_key *mak = key_hex(PAYCORE_KEY_TDES2, "DAB36167E6DFB5EF0123456789ABCDEF");
  paycore_key *tdk = key_hex(PAYCORE_KEY_TDES2, "89E88CF7931444F334BD7547FC3F380C");
  uint8_t f62[64], b[32];
  size_t len = 0, n = 0;
  char text[256];
  CHECK(paycore_sign_on_build_field62(tmk, 4, pik, mak, tdk, f62, sizeof f62, &len) == PAYCORE_OK);
  CHECK(len == 60);
  paycore_key *p = NULL, *m = NULL, *t = NULL;
  CHECK(paycore_sign_on_unwrap(tmk, 4, f62, len, &p, &m, &t) == PAYCORE_OK);
  CHECK(p && m && t);
  CHECK(paycore_key_check_value_hex(p, text, sizeof text, &n) == PAYCORE_OK);
  CHECK_STR(text, n, "08D7B4");
  CHECK(paycore_key_export_bytes(t, b, sizeof b, &n) == PAYCORE_OK &&
        bytes_eq_hex(b, n, "89E88CF7931444F334BD7547FC3F380C"));
  paycore_key_free(p);
  paycore_key_free(m);
  paycore_key_free(t);

  /* Layout 003: no track key (out_track_key set to NULL). */
  CHECK(paycore_sign_on_build_field62(tmk, 3, pik, mak, NULL, f62, sizeof f62, &len) == PAYCORE_OK);
  t = (paycore_key *)0x1;
  CHECK(paycore_sign_on_unwrap(tmk, 3, f62, len, &p, &m, &t) == PAYCORE_OK && t == NULL);
  paycore_key_free(p);
  paycore_key_free(m);

  /* A wrong check value: typed code, message names the key, no key bytes, nothing written. */
  f62[36] ^= 0x01;
  p = m = (paycore_key *)0x1;
  CHECK(paycore_sign_on_unwrap(tmk, 3, f62, len, &p, &m, NULL) == PAYCORE_ERR_CHECK_VALUE);
  CHECK(p == (paycore_key *)0x1 && m == (paycore_key *)0x1);
  last_error(text, sizeof text);
  CHECK(strstr(text, "MAC key") != NULL);
  CHECK(!contains_ci(text, "DAB36167"));
  CHECK(paycore_sign_on_unwrap(tmk, 2, f62, len, &p, &m, NULL) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(paycore_sign_on_unwrap(tmk, 4, f62, len, &p, &m, NULL) == PAYCORE_ERR_NULL_PARAMETER);
  CHECK(paycore_sign_on_unwrap(tmk, 3, f62, 39, &p, &m, NULL) == PAYCORE_ERR_SECURITY_LENGTH);
  paycore_key_free(tdk);
  paycore_key_free(mak);
  paycore_key_free(pik);
  paycore_key_free(tmk);
}

static void test_dukpt(void) {
  paycore_key *bdk = key_hex(PAYCORE_KEY_TDES2, "0123456789ABCDEFFEDCBA9876543210");
  paycore_key *ipek = NULL, *k = NULL;
  uint8_t ksn[16], b[32];
  size_t n = 0;
  unhex("FFFF9876543210E00000", ksn);
  CHECK(paycore_dukpt_tdes_ipek(bdk, ksn, 10, &ipek) == PAYCORE_OK);
  CHECK(paycore_key_export_bytes(ipek, b, sizeof b, &n) == PAYCORE_OK &&
        bytes_eq_hex(b, n, "6AC292FAA1315B4D858AB3A3D7D5933A"));
  paycore_dukpt_tdes_terminal *term = NULL;
  CHECK(paycore_dukpt_tdes_terminal_load(ipek, ksn, 10, &term) == PAYCORE_OK);
  CHECK(paycore_dukpt_tdes_terminal_next(term, b, sizeof b, &n, &k) == PAYCORE_OK);
  CHECK(bytes_eq_hex(b, n, "FFFF9876543210E00001"));
  CHECK(paycore_key_export_bytes(k, b, sizeof b, &n) == PAYCORE_OK &&
        bytes_eq_hex(b, n, "042666B49184CFA368DE9628D0397BC9"));
  paycore_key *mac = NULL;
  CHECK(paycore_dukpt_tdes_usage_key(k, PAYCORE_DUKPT_TDES_MAC_REQUEST, &mac) == PAYCORE_OK);
  CHECK(paycore_mac_compute(PAYCORE_MAC_X9_19, mac, (const uint8_t *)S("4012345678909D987"), b,
                            sizeof b, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(b, 4, "9CCC7817"));
  paycore_key_free(mac);
  paycore_key_free(k);
  k = NULL;
  CHECK(paycore_dukpt_tdes_terminal_next(term, b, 4, &n, &k) == PAYCORE_ERR_BUFFER_TOO_SMALL);
  CHECK(n == 10 && k == NULL);
  CHECK(paycore_dukpt_tdes_terminal_next(term, b, sizeof b, &n, &k) == PAYCORE_OK);
  CHECK(bytes_eq_hex(b, n, "FFFF9876543210E00002"));
  CHECK(paycore_key_export_bytes(k, b, sizeof b, &n) == PAYCORE_OK &&
        bytes_eq_hex(b, n, "C46551CEF9FD24B0AA9AD834130D3BC7"));
  paycore_key_free(k);
  paycore_dukpt_tdes_terminal_free(term);
  paycore_dukpt_tdes_terminal_free(NULL);

  /* Bad input: short KSN, counter zero, usage out of range. */
  CHECK(paycore_dukpt_tdes_ipek(bdk, ksn, 8, &k) == PAYCORE_ERR_SECURITY_LENGTH);
  CHECK(paycore_dukpt_tdes_transaction_key(bdk, ksn, 10, &k) == PAYCORE_ERR_DUKPT_COUNTER);
  CHECK(paycore_dukpt_tdes_usage_key(ipek, 5, &k) == PAYCORE_ERR_INVALID_ARGUMENT);
  paycore_key_free(ipek);
  paycore_key_free(bdk);

  /* AES DUKPT (X9.24-3 supplement). */
  bdk = key_hex(PAYCORE_KEY_AES128, "FEDCBA9876543210F1F1F1F1F1F1F1F1");
  unhex("123456789012345600000000", ksn);
  CHECK(paycore_dukpt_aes_initial_key(bdk, ksn, 12, &k) == PAYCORE_OK);
  CHECK(paycore_key_export_bytes(k, b, sizeof b, &n) == PAYCORE_OK &&
        bytes_eq_hex(b, n, "1273671EA26AC29AFA4D1084127652A1"));
  paycore_key_free(k);
  unhex("123456789012345600000001", ksn);
  CHECK(paycore_dukpt_aes_working_key(bdk, ksn, 12, PAYCORE_DUKPT_AES_PIN_ENCRYPTION, PAYCORE_KEY_AES128,
                                      &k) == PAYCORE_OK);
  CHECK(paycore_key_get_algorithm(k) == PAYCORE_KEY_AES128);
  paycore_key_free(k);
  unhex("12345678901234560001FFFF", ksn);
  CHECK(paycore_dukpt_aes_working_key(bdk, ksn, 12, 1, PAYCORE_KEY_AES128, &k) ==
        PAYCORE_ERR_DUKPT_COUNTER);
  paycore_key_free(bdk);
}

static const char TR31_C[] =
    "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D0215"
    "5C";

static void test_tr31(void) {
  paycore_key *kbpk = key_hex(PAYCORE_KEY_TDES2, "B8ED59E0A279A295E9F5ED7944FD06B9");
  paycore_key *k = NULL;
  char text[512];
  uint8_t b[32];
  size_t n = 0;
  CHECK(paycore_tr31_unwrap(kbpk, TR31_C, strlen(TR31_C), &k) == PAYCORE_OK);
  CHECK(paycore_key_export_bytes(k, b, sizeof b, &n) == PAYCORE_OK &&
        bytes_eq_hex(b, n, "EDB380DD340BC2620247D445F5B8D678"));
  CHECK(paycore_key_check_value_hex(k, text, sizeof text, &n) == PAYCORE_OK);
  CHECK_STR(text, n, "F4B08D");
  CHECK(paycore_tr31_header_json(TR31_C, strlen(TR31_C), text, sizeof text, &n) == PAYCORE_OK);
  CHECK(strstr(text, "\"key_usage\":\"B0\"") && strstr(text, "\"version\":\"C\""));
  CHECK(strstr(text, "\"id\":\"KS\",\"data\":\"00604B120F9292800000\""));

  /* Wrap then unwrap: version D, AES-256 KBPK. */
  paycore_key *aes = NULL, *inner = NULL, *back = NULL;
  uint8_t raw[32];
  memset(raw, 0x41, 32);
  CHECK(paycore_key_new(PAYCORE_KEY_AES256, raw, 32, &aes) == PAYCORE_OK);
  memset(raw, 0x17, 24);
  CHECK(paycore_key_new(PAYCORE_KEY_AES192, raw, 24, &inner) == PAYCORE_OK);
  uint8_t rnd[64];
  memset(rnd, 0x5A, sizeof rnd);
  CHECK(paycore_tr31_wrap(aes, S("D0000P0AE00E0000"), inner, 0, rnd, sizeof rnd, text, sizeof text,
                          &n) == PAYCORE_OK);
  CHECK(text[0] == 'D' && (size_t)atoi((char[5]){text[1], text[2], text[3], text[4], 0}) == n);
  CHECK(paycore_tr31_unwrap(aes, text, n, &back) == PAYCORE_OK);
  CHECK(paycore_key_export_bytes(back, b, sizeof b, &n) == PAYCORE_OK && n == 24 &&
        memcmp(b, raw, 24) == 0);
  paycore_key_free(back);

  /* Tampered block: MAC failure; malformed header: format error. */
  char bad[sizeof TR31_C];
  memcpy(bad, TR31_C, sizeof TR31_C);
  bad[40] = bad[40] == '0' ? '1' : '0';
  paycore_key *untouched = (paycore_key *)0x1;
  CHECK(paycore_tr31_unwrap(kbpk, bad, strlen(bad), &untouched) == PAYCORE_ERR_TR31_MAC);
  CHECK(untouched == (paycore_key *)0x1);
  CHECK(paycore_tr31_unwrap(kbpk, S("B0000"), &untouched) == PAYCORE_ERR_TR31_FORMAT);
  CHECK(paycore_tr31_wrap(kbpk, S("D0000P0AE00E0000"), inner, 0, rnd, sizeof rnd, text, sizeof text,
                          &n) != PAYCORE_OK);
  paycore_key_free(inner);
  paycore_key_free(aes);
  paycore_key_free(k);
  paycore_key_free(kbpk);
}

/* No key, PIN or PIN-block bytes in any error message. */
static void test_no_secrets_in_errors(void) {
  const char *key = "0123456789ABCDEFFEDCBA9876543210";
  paycore_key *k = key_hex(PAYCORE_KEY_TDES2, key);
  paycore_key *out = NULL;
  uint8_t b[32], enc[8];
  char text[256], pin[16];
  size_t n = 0;
  const char *secrets[] = {"0123456789ABCDEF", "FEDCBA9876543210", "5937", "041274"};
  CHECK(paycore_pin_block_encrypt(k, PAYCORE_PIN_ISO0, S("5937"), S(PAN4), NULL, 0, enc, 8, &n) ==
        PAYCORE_OK);
  unhex(key, b);
  int codes[6];
  char msgs[6][256];
  codes[0] = paycore_key_new(PAYCORE_KEY_AES192, b, 16, &out);
  last_error(msgs[0], 256);
  codes[1] = paycore_key_from_hex(PAYCORE_KEY_TDES2, "0123456789ABCDEFFEDCBA987654321Z", 32, &out);
  last_error(msgs[1], 256);
  codes[2] = paycore_pin_block_build(PAYCORE_PIN_ISO0, S("59x7"), S(PAN4), NULL, 0, b, sizeof b, &n);
  last_error(msgs[2], 256);
  codes[3] = paycore_pin_block_decrypt(k, PAYCORE_PIN_ISO2, enc, 8, NULL, 0, pin, sizeof pin, &n);
  last_error(msgs[3], 256);
  codes[4] = paycore_mac_verify(PAYCORE_MAC_X9_19, k, (const uint8_t *)S("data"), b, 8);
  last_error(msgs[4], 256);
  unhex("041274EDCBA9876F", b);
  codes[5] = paycore_pin_block_recover(PAYCORE_PIN_ISO1, b, 8, NULL, 0, pin, sizeof pin, &n);
  last_error(msgs[5], 256);
  for (int i = 0; i < 6; i++) {
    CHECK(codes[i] != PAYCORE_OK);
    CHECK(strlen(msgs[i]) > 0);
    for (size_t s = 0; s < sizeof secrets / sizeof *secrets; s++) CHECK(!contains_ci(msgs[i], secrets[s]));
  }
  (void)text;
  paycore_key_free(k);
}

int main(void) {
  test_keys_and_kcv();
  test_pin_blocks();
  test_macs();
  test_sign_on();
  test_dukpt();
  test_tr31();
  test_no_secrets_in_errors();
  return finish("c security");
}
