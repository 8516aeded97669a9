/* TLV, EMV and EMVCo QR C API: known vectors from core/tests, plus bad-input errors. */
#include "check.h"
#include "paycore.h"
#include <stdlib.h>

static const char EMVCO[] =
    "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678"
    "520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104\xe6\x9c\x80\xe4\xbd\xb3"
    "\xe8\xbf\x90\xe8\xbe\x93"
    "0202\xe5\x8c\x97\xe4\xba\xac"
    "540523.7253031565502016233030412340603***0708A60086670902ME91320016A011223344"
    "9988770708123456786304A13A";

static void test_crc_and_mpm(void) {
  uint16_t crc = 0;
  CHECK(paycore_qr_crc16((const uint8_t *)"123456789", 9, &crc) == PAYCORE_OK && crc == 0x29B1);
  size_t len = sizeof EMVCO - 1;
  CHECK(paycore_qr_crc16((const uint8_t *)EMVCO, len - 4, &crc) == PAYCORE_OK && crc == 0xA13A);

  static char json[4096], built[1024], json2[4096];
  size_t n = 0, m = 0, k = 0;
  CHECK(paycore_qr_parse_mpm_json(EMVCO, len, json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "BEST TRANSPORT") != NULL);
  CHECK(paycore_qr_build_mpm_json(json, n, built, sizeof built, &m) == PAYCORE_OK);
  CHECK(paycore_qr_parse_mpm_json(built, m, json2, sizeof json2, &k) == PAYCORE_OK);
  CHECK(k == n && memcmp(json, json2, n) == 0);

  /* CRC mismatch: typed code, message with expected and actual. */
  char bad[sizeof EMVCO];
  memcpy(bad, EMVCO, sizeof EMVCO);
  bad[len - 1] = 'B';
  CHECK(paycore_qr_parse_mpm_json(bad, len, json, sizeof json, &n) == PAYCORE_ERR_QR_CRC_MISMATCH);
  char msg[256];
  CHECK(paycore_last_error_message(msg, sizeof msg, &n) == PAYCORE_OK);
  CHECK(strstr(msg, "A13A") != NULL && strstr(msg, "A13B") != NULL);
}

static void test_tlv(void) {
  static const uint8_t fci[] = {0x6F, 0x0E, 0x84, 0x07, 0xA0, 0x00, 0x00, 0x03, 0x33, 0x01,
                                0x01, 0xA5, 0x03, 0x50, 0x01, 0xFF};
  char json[512];
  size_t n = 0;
  CHECK(paycore_tlv_decode_json(fci, sizeof fci, PAYCORE_TLV_EMV, 8, json, sizeof json, &n) ==
        PAYCORE_OK);
  CHECK(strstr(json, "\"A0000003330101\"") != NULL);
  CHECK(paycore_tlv_decode_json(fci, sizeof fci, 7, 8, json, sizeof json, &n) ==
        PAYCORE_ERR_INVALID_ARGUMENT);
  /* Truncated: 9F02 announces 6 bytes, 3 present. */
  static const uint8_t trunc[] = {0x9F, 0x02, 0x06, 0x00, 0x00, 0x00};
  size_t untouched = 99;
  CHECK(paycore_tlv_decode_json(trunc, sizeof trunc, PAYCORE_TLV_STRICT, 8, json, sizeof json,
                                &untouched) == PAYCORE_ERR_TLV_MALFORMED);
  CHECK(untouched == 99);
  char msg[256];
  CHECK(paycore_last_error_message(msg, sizeof msg, &n) == PAYCORE_OK);
  CHECK(strstr(msg, "offset") != NULL);

  static const uint8_t pan[] = {0x5A, 0x08, 0x62, 0x12, 0x34, 0x56, 0x78, 0x90, 0x12, 0x34};
  CHECK(paycore_tlv_redact(pan, sizeof pan, json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "6212345678901234") == NULL);
}

static void test_emv(void) {
  static const uint8_t tvr[] = {0x00, 0x00, 0x08, 0x00, 0x00};
  char json[1024];
  size_t n = 0;
  CHECK(paycore_emv_explain_json(S("95"), tvr, sizeof tvr, json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "pin_not_entered") != NULL);
  CHECK(paycore_emv_explain_json(S("95"), tvr, 4, json, sizeof json, &n) == PAYCORE_ERR_EMV);

  static const char tags[] =
      "{\"9F26\":\"1122334455667788\",\"9F10\":\"07010103A0A80201\",\"9F37\":\"DEADBEEF\","
      "\"9F36\":\"0012\",\"95\":\"0000000000\",\"9A\":\"240217\",\"9C\":\"00\","
      "\"9F02\":\"000000000100\",\"5F2A\":\"0156\",\"82\":\"7C00\",\"9F1A\":\"0156\","
      "\"9F03\":\"000000000000\",\"9F33\":\"E0F8C8\","
      "\"9F63\":\"00000000000000000000000000000000\"}";
  uint8_t f55[256];
  CHECK(paycore_emv_build_field55(S(tags), PAYCORE_FIELD55_PREAUTH, true, f55, sizeof f55, &n) ==
        PAYCORE_OK);
  static const uint8_t head[] = {0x9F, 0x26, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55,
                                 0x66, 0x77, 0x88, 0x9F, 0x27, 0x01, 0x80};
  CHECK(n > sizeof head && memcmp(f55, head, sizeof head) == 0);
  size_t need = 0;
  CHECK(paycore_emv_build_field55(S(tags), PAYCORE_FIELD55_SALE, true, f55, 4, &need) ==
        PAYCORE_ERR_BUFFER_TOO_SMALL && need == n);
  CHECK(paycore_emv_build_field55(S("{\"9F02\":\"000000000100\"}"), PAYCORE_FIELD55_SALE, false,
                                  f55, sizeof f55, &n) == PAYCORE_ERR_EMV);
}

static void test_cpm(void) {
  static const char spec[] = "{\"applications\":[{\"adf_name\":\"A0000003330101\","
                             "\"data\":[{\"tag\":\"5A\",\"value\":\"6212345678901234\"}]}]}";
  char b64[256], b64b[256], json[1024];
  size_t n = 0, m = 0, k = 0;
  CHECK(paycore_qr_build_cpm_json(S(spec), b64, sizeof b64, &n) == PAYCORE_OK);
  CHECK(strncmp(b64, "hQVDUFYwMW", 10) == 0);
  CHECK(paycore_qr_parse_cpm_json(b64, n, json, sizeof json, &m) == PAYCORE_OK);
  CHECK(strstr(json, "6212345678901234") != NULL);
  CHECK(paycore_qr_build_cpm_json(json, m, b64b, sizeof b64b, &k) == PAYCORE_OK);
  CHECK_STR(b64b, k, b64);
  CHECK(paycore_qr_parse_cpm_json(S("!!!not base64"), json, sizeof json, &m) ==
        PAYCORE_ERR_QR_MALFORMED);
}

/* Hex helpers for the byte-output checks. */
static size_t unhex(const char *hex, uint8_t *out) {
  size_t n = strlen(hex) / 2;
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (uint8_t)v;
  }
  return n;
}

static int bytes_eq_hex(const uint8_t *b, size_t n, const char *hex) {
  uint8_t want[512];
  size_t m = unhex(hex, want);
  return n == m && memcmp(b, want, n) == 0;
}

static int last_error_contains(const char *needle) {
  char msg[512];
  size_t n = 0;
  return paycore_last_error_message(msg, sizeof msg, &n) == PAYCORE_OK && strstr(msg, needle) != NULL;
}

static void test_tlv_encode_and_find(void) {
  /* Tag/value pairs: minimal lengths, including the long form 81 C8 for 200 bytes. */
  static uint8_t big[200];
  memset(big, 0xAB, sizeof big);
  static const uint8_t amount[] = {0x00, 0x00, 0x00, 0x00, 0x01, 0x00};
  static const uint8_t cur[] = {0x01, 0x56};
  paycore_tlv_item items[] = {
      {0x9F02, amount, sizeof amount}, {0x5F2A, cur, sizeof cur}, {0xDF8129, NULL, 0}};
  uint8_t out[512];
  size_t n = 0;
  CHECK(paycore_tlv_encode(items, 3, out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "9F02060000000001005F2A020156DF812900"));
  paycore_tlv_item long_item = {0xC1, big, sizeof big};
  CHECK(paycore_tlv_encode(&long_item, 1, out, sizeof out, &n) == PAYCORE_OK);
  CHECK(n == 203 && out[0] == 0xC1 && out[1] == 0x81 && out[2] == 0xC8 && out[202] == 0xAB);
  /* Too small a buffer reports the size needed and writes nothing. */
  size_t need = 0;
  CHECK(paycore_tlv_encode(items, 2, out, 4, &need) == PAYCORE_ERR_BUFFER_TOO_SMALL && need == 14);
  /* A tag number with a leading 00 byte is refused with the item index. */
  paycore_tlv_item bad = {0x0, amount, sizeof amount};
  size_t untouched = 77;
  CHECK(paycore_tlv_encode(&bad, 1, out, sizeof out, &untouched) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(untouched == 77 && last_error_contains("items[0]"));
  CHECK(paycore_tlv_encode(NULL, 1, out, sizeof out, &n) == PAYCORE_ERR_NULL_PARAMETER);

  /* JSON tree -> bytes, and the decode/encode round trip. */
  CHECK(paycore_tlv_encode_json(
            S("[{\"tag\":\"70\",\"children\":[{\"tag\":\"9F02\",\"value\":\"000000000100\"}]}]"), out,
            sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "70099F0206000000000100"));
  static const uint8_t fci[] = {0x6F, 0x0E, 0x84, 0x07, 0xA0, 0x00, 0x00, 0x03, 0x33, 0x01,
                                0x01, 0xA5, 0x03, 0x50, 0x01, 0xFF};
  char json[512];
  size_t jn = 0;
  CHECK(paycore_tlv_decode_json(fci, sizeof fci, PAYCORE_TLV_EMV, 8, json, sizeof json, &jn) ==
        PAYCORE_OK);
  CHECK(paycore_tlv_encode_json(json, jn, out, sizeof out, &n) == PAYCORE_OK);
  CHECK(n == sizeof fci && memcmp(out, fci, n) == 0);
  CHECK(paycore_tlv_encode_json(S("[{\"tag\":\"ZZ\"}]"), out, sizeof out, &n) ==
        PAYCORE_ERR_INVALID_ARGUMENT);

  /* Path lookup. */
  CHECK(paycore_tlv_find(fci, sizeof fci, S("6F/A5/50"), out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "FF"));
  CHECK(paycore_tlv_find(fci, sizeof fci, S("6F.84"), out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "A0000003330101"));
  CHECK(paycore_tlv_find(fci, sizeof fci, S("6F/88"), out, sizeof out, &n) ==
        PAYCORE_ERR_TLV_NOT_FOUND);
  CHECK(last_error_contains("6F/88"));
  CHECK(paycore_tlv_find(fci, sizeof fci, S("6F/XY"), out, sizeof out, &n) ==
        PAYCORE_ERR_INVALID_ARGUMENT);
  /* Truncated inside a template: the byte offset and tag path are named. */
  static const uint8_t trunc[] = {0x70, 0x05, 0x5F, 0x24, 0x03, 0x25, 0x12};
  CHECK(paycore_tlv_find(trunc, sizeof trunc, S("70/5F24"), out, sizeof out, &n) ==
        PAYCORE_ERR_TLV_MALFORMED);
  CHECK(last_error_contains("truncated at byte offset 5 (tag path 70/5F24)"));
}

static void test_dol(void) {
  uint8_t dol[64], out[128];
  size_t dn = unhex("9F02069F03069F1A0295055F2A029A039C019F3704", dol), n = 0;
  char json[1024];
  CHECK(paycore_emv_parse_dol_json(dol, dn, json, sizeof json, &n) == PAYCORE_OK);
  CHECK_STR(json, n,
            "[{\"tag\":\"9F02\",\"length\":6},{\"tag\":\"9F03\",\"length\":6},"
            "{\"tag\":\"9F1A\",\"length\":2},{\"tag\":\"95\",\"length\":5},"
            "{\"tag\":\"5F2A\",\"length\":2},{\"tag\":\"9A\",\"length\":3},"
            "{\"tag\":\"9C\",\"length\":1},{\"tag\":\"9F37\",\"length\":4}]");
  /* Truncated DOL: 95 without its length, at byte offset 10. */
  CHECK(paycore_emv_parse_dol_json(dol, 10, json, sizeof json, &n) == PAYCORE_ERR_TLV_MALFORMED);
  CHECK(last_error_contains("offset 10"));

  static const char s1[] =
      "{\"9C\":\"09\",\"9A\":\"240217\",\"5F2A\":\"0978\",\"9F02\":\"000123456789\","
      "\"9F03\":\"000987654321\",\"9F37\":\"DEADBEEF\",\"5A\":\"541333008902001F\","
      "\"9F20\":\"12345F\"}";
  static const char s2[] =
      "{\"9F1A\":\"0528\",\"9F37\":\"DEADCAFE\",\"95\":\"1234554321\",\"9F20\":\"123F\","
      "\"9F19\":\"654321012345\"}";
  char both[1024], reversed[1024];
  snprintf(both, sizeof both, "[%s,%s]", s1, s2);
  snprintf(reversed, sizeof reversed, "[%s,%s]", s2, s1);
  CHECK(paycore_emv_build_dol(dol, dn, both, strlen(both), out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "00012345678900098765432105281234554321097824021709DEADBEEF"));
  /* Priority: the second source's 9F37 wins when it comes first. */
  uint8_t d2[8];
  size_t d2n = unhex("9F3704", d2);
  CHECK(paycore_emv_build_dol(d2, d2n, reversed, strlen(reversed), out, sizeof out, &n) ==
        PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "DEADCAFE"));
  /* Padding/truncation: n left-pads and keeps the rightmost, cn pads FF, b pads 00. */
  d2n = unhex("9F02045A0A9506", d2);
  CHECK(paycore_emv_build_dol(d2, d2n, both, strlen(both), out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "23456789" "541333008902001FFFFF" "123455432100"));
  CHECK(paycore_emv_build_dol(dol, dn, S("{\"9F02\":\"00\"}"), out, sizeof out, &n) ==
        PAYCORE_ERR_INVALID_ARGUMENT);
}

static void test_flags_and_dictionary(void) {
  uint8_t out[16];
  size_t n = 0;
  CHECK(paycore_emv_encode_flags(S("95"), S("pin_not_entered"), out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "0000080000"));
  CHECK(paycore_emv_encode_flags(
            S("95"), S("oda_not_performed, merchant_forced_online,issuer_authentication_failed"),
            out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "8000000840"));
  CHECK(paycore_emv_encode_flags(S("9B"), S(""), out, sizeof out, &n) == PAYCORE_OK);
  CHECK(bytes_eq_hex(out, n, "0000"));
  size_t untouched = 5;
  CHECK(paycore_emv_encode_flags(S("95"), S("pin_not_entered,nope"), out, sizeof out, &untouched) ==
        PAYCORE_ERR_EMV_UNKNOWN_FLAG);
  CHECK(untouched == 5 && last_error_contains("nope"));

  /* TVR explanation of 0000080000 names the flag, its text and position. */
  static const uint8_t tvr[] = {0x00, 0x00, 0x08, 0x00, 0x00};
  char json[1024];
  CHECK(paycore_emv_explain_json(S("95"), tvr, sizeof tvr, json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "\"byte\":3,\"bit\":4,\"flag\":\"pin_not_entered\"") != NULL);
  CHECK(strstr(json, "PIN entry required, PIN pad present, but PIN was not entered") != NULL);

  CHECK(paycore_emv_tag_info_json(S("9F02"), NULL, 0, json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "\"name\":\"Amount, Authorised (Numeric)\"") != NULL);
  CHECK(strstr(json, "\"format\":\"N\"") != NULL && strstr(json, "\"source\":\"Terminal\"") != NULL);
  CHECK(strstr(json, "\"min_len\":6,\"max_len\":6") != NULL);
  CHECK(paycore_emv_tag_info_json(S("5F2A"), S(""), json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "\"format_text\":\"n 3\"") != NULL);
  /* 81 means different things inside a biometric template (A1) and elsewhere. */
  CHECK(paycore_emv_tag_info_json(S("81"), NULL, 0, json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "\"name\":\"Amount, Authorised (Binary)\"") != NULL);
  CHECK(paycore_emv_tag_info_json(S("81"), S("A1"), json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "\"name\":\"Biometric Type\"") != NULL);
  CHECK(paycore_emv_tag_info_json(S("9F7F"), NULL, 0, json, sizeof json, &n) ==
        PAYCORE_ERR_EMV_UNKNOWN_TAG);
  CHECK(paycore_emv_tag_info_json(S("9G"), NULL, 0, json, sizeof json, &n) == PAYCORE_ERR_EMV);
  char desc[64];
  CHECK(paycore_result_description(PAYCORE_ERR_EMV_UNKNOWN_FLAG, desc, sizeof desc, &n) ==
        PAYCORE_OK);
  CHECK_STR(desc, n, "unknown EMV flag name");
}

static void test_field55_order_and_response(void) {
  /* Given out of order; built in the customary CUP order, 9F27 80 inserted (contactless). */
  static const char tags[] =
      "{\"9F63\":\"00000000000000000000000000000000\",\"84\":\"A0000003330101\","
      "\"9F35\":\"22\",\"9F34\":\"1E0300\",\"9F33\":\"E0F8C8\",\"9F03\":\"000000000000\","
      "\"9F1A\":\"0156\",\"82\":\"7C00\",\"5F2A\":\"0156\",\"9F02\":\"000000000100\","
      "\"9C\":\"00\",\"9A\":\"240217\",\"95\":\"0000080000\",\"9F36\":\"0012\","
      "\"9F37\":\"DEADBEEF\",\"9F10\":\"07010103A0A80201\",\"9F26\":\"1122334455667788\"}";
  uint8_t f55[256];
  size_t n = 0;
  CHECK(paycore_emv_build_field55(S(tags), PAYCORE_FIELD55_SALE, true, f55, sizeof f55, &n) ==
        PAYCORE_OK);
  CHECK(bytes_eq_hex(
      f55, n,
      "9F260811223344556677889F2701809F100807010103A0A802019F3704DEADBEEF9F36020012"
      "950500000800009A032402179C01009F02060000000001005F2A02015682027C009F1A020156"
      "9F03060000000000009F3303E0F8C89F34031E03009F3501228407A0000003330101"
      "9F631000000000000000000000000000000000"));
  /* Without the contactless quirk a missing 9F27 is an error naming the tag. */
  CHECK(paycore_emv_build_field55(S(tags), PAYCORE_FIELD55_SALE, false, f55, sizeof f55, &n) ==
        PAYCORE_ERR_EMV);
  CHECK(last_error_contains("9F27"));

  uint8_t resp[64];
  size_t rn = unhex("910A1122334455667788303072169F180400000001860D84240000080102030405060708", resp);
  char json[1024];
  CHECK(paycore_emv_parse_field55_response_json(resp, rn, json, sizeof json, &n) == PAYCORE_OK);
  CHECK(strstr(json, "\"arpc\":\"1122334455667788\",\"rest\":\"3030\"") != NULL);
  CHECK(strstr(json, "\"template\":\"72\",\"script_id\":\"00000001\","
                     "\"commands\":[\"84240000080102030405060708\"]") != NULL);
  CHECK(paycore_emv_parse_field55_response_json(resp, rn - 1, json, sizeof json, &n) ==
        PAYCORE_ERR_TLV_MALFORMED);
  CHECK(last_error_contains("offset"));
}

int main(void) {
  test_cpm();
  test_crc_and_mpm();
  test_tlv();
  test_emv();
  test_tlv_encode_and_find();
  test_dol();
  test_flags_and_dictionary();
  test_field55_order_and_response();
  return finish("c tlv");
}
