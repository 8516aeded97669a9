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

int main(void) {
  test_cpm();
  test_crc_and_mpm();
  test_tlv();
  test_emv();
  return finish("c tlv");
}
