/* Real behaviour of the ISO 8583 C API (vectors from core/tests/iso8583.rs, built from the CUP
 * POS field rules), run under AddressSanitizer + UBSan and valgrind. */
#include "check.h"
#include "paycore.h"
#include <stdlib.h>

/* The CUP EMV sale of core/tests/iso8583.rs: 0200 with F2 F3 F4 F11 F14 F22 F23 F25 F26 F35 F41
 * F42 F49 F52 F53 F55 F60 F64, 180 bytes. */
static const char SALE_HEX[] =
    "0200702406C020C09A1119622848040256489001800000000000000001000001232512071000010012"
    "376228480402564890018D25122201234500000031323334353637383132333435363738393031323334"
    "353135360123456789ABCDEF260000000000000000589F260811223344556677889F2701805A08622848"
    "0402564890950500000000009A032511259C01009F02060000000001005F2A02015682027C0000142200"
    "00240006003141324233433444";

/* The CUP sign-on 0800 (F11 F41 F42 F60 F63). */
static const char SIGNON_HEX[] =
    "08000020000000C00012000001313233343536373831323334353637383930313233343500110000000100"
    "300003303031";

static size_t unhex(const char *hex, unsigned char *out) {
  size_t n = strlen(hex) / 2;
  for (size_t i = 0; i < n; i++) {
    unsigned v = 0;
    sscanf(hex + 2 * i, "%2x", &v);
    out[i] = (unsigned char)v;
  }
  return n;
}

static paycore_iso8583_spec *builtin(const char *name) {
  paycore_iso8583_spec *spec = NULL;
  CHECK(paycore_iso8583_spec_builtin(name, strlen(name), &spec) == PAYCORE_OK && spec != NULL);
  return spec;
}

static int last_error_has(const char *needle) {
  char buf[512];
  size_t n = 0;
  if (paycore_last_error_message(buf, sizeof buf, &n) != PAYCORE_OK) return 0;
  return strstr(buf, needle) != NULL;
}

static void test_decode_sale(void) {
  paycore_iso8583_spec *spec = builtin("cup-pos");
  unsigned char sale[256];
  size_t len = unhex(SALE_HEX, sale);
  CHECK(len == 180);

  paycore_iso8583_message *m = NULL;
  CHECK(paycore_iso8583_decode(spec, sale, len, &m) == PAYCORE_OK && m != NULL);
  /* The message keeps its own reference to the spec. */
  paycore_iso8583_spec_free(spec);

  char buf[512];
  size_t n = 0;
  CHECK(paycore_iso8583_message_mti(m, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "0200");

  uint16_t fields[64];
  CHECK(paycore_iso8583_message_fields(m, fields, 64, &n) == PAYCORE_OK && n == 18);
  CHECK(fields[0] == 2 && fields[9] == 35 && fields[17] == 64);
  CHECK(paycore_iso8583_message_fields(m, fields, 3, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n == 18);

  CHECK(paycore_iso8583_message_get_text(m, 2, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "6228480402564890018");
  CHECK(paycore_iso8583_message_get_text(m, 22, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "071"); /* F22 is left-aligned BCD: 0710 on the wire */
  CHECK(paycore_iso8583_message_get_text(m, 35, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "6228480402564890018=25122201234500000");
  /* b fields as text are upper-case hex; as bytes they are raw. */
  CHECK(paycore_iso8583_message_get_text(m, 52, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "0123456789ABCDEF");
  unsigned char raw[256];
  CHECK(paycore_iso8583_message_get_bytes(m, 52, raw, sizeof raw, &n) == PAYCORE_OK && n == 8);
  CHECK(raw[0] == 0x01 && raw[7] == 0xEF);
  CHECK(paycore_iso8583_message_get_bytes(m, 55, raw, sizeof raw, &n) == PAYCORE_OK && n == 58);
  CHECK(raw[0] == 0x9F && raw[1] == 0x26);
  CHECK(paycore_iso8583_message_get_text(m, 41, buf, 4, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n == 8);

  /* F60 sub-fields: 60.1 transaction type, 60.2 batch number. */
  CHECK(paycore_iso8583_message_get_subfield(m, 60, 1, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "22");
  CHECK(paycore_iso8583_message_get_subfield(m, 60, 2, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "000024");
  CHECK(paycore_iso8583_message_get_subfield(m, 60, 0, buf, sizeof buf, &n) == PAYCORE_ERR_ISO8583_FIELD_ABSENT);
  CHECK(paycore_iso8583_message_get_subfield(m, 60, 9, buf, sizeof buf, &n) == PAYCORE_ERR_ISO8583_FIELD_ABSENT);
  CHECK(paycore_iso8583_message_get_subfield(m, 2, 1, buf, sizeof buf, &n) == PAYCORE_ERR_ISO8583_FIELD_ABSENT);

  CHECK(paycore_iso8583_message_has(m, 64) && !paycore_iso8583_message_has(m, 39));
  CHECK(!paycore_iso8583_message_has(NULL, 2));
  CHECK(paycore_iso8583_message_get_text(m, 39, buf, sizeof buf, &n) == PAYCORE_ERR_ISO8583_FIELD_ABSENT);
  CHECK(last_error_has("field 39"));

  /* Byte-exact round trip. */
  unsigned char out[512];
  CHECK(paycore_iso8583_message_encode(m, out, sizeof out, &n) == PAYCORE_OK && n == len);
  CHECK(memcmp(out, sale, len) == 0);
  CHECK(paycore_iso8583_message_encode(m, out, 10, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n == len);

  /* MAC input: the message from the MTI through F60, i.e. all but the 8 bytes of F64. */
  CHECK(paycore_iso8583_message_mac_input(m, out, sizeof out, &n) == PAYCORE_OK && n == len - 8);
  CHECK(memcmp(out, sale, len - 8) == 0);

  /* describe masks PAN, track and PIN block by default; unmasked only on request. */
  char text[4096];
  CHECK(paycore_iso8583_message_describe(m, text, sizeof text, &n) == PAYCORE_OK);
  CHECK(strstr(text, "622848*********0018") != NULL);
  CHECK(strstr(text, "6228480402564890018") == NULL);
  CHECK(strstr(text, "0123456789ABCDEF") == NULL);
  CHECK(strstr(text, "60.1") != NULL);
  CHECK(paycore_iso8583_message_describe_unmasked(m, text, sizeof text, &n) == PAYCORE_OK);
  CHECK(strstr(text, "6228480402564890018") != NULL);
  CHECK(strstr(text, "0123456789ABCDEF") != NULL);

  /* JSON: b as hex, F60 nested. */
  CHECK(paycore_iso8583_message_to_json(m, text, sizeof text, &n) == PAYCORE_OK);
  CHECK(strstr(text, "\"mti\": \"0200\"") != NULL);
  CHECK(strstr(text, "\"52\": \"0123456789ABCDEF\"") != NULL);
  CHECK(strstr(text, "\"1\":\"22\"") != NULL);

  /* ... and back: the same bytes. */
  paycore_iso8583_spec *spec2 = builtin("cup-pos");
  paycore_iso8583_message *back = NULL;
  CHECK(paycore_iso8583_message_from_json(spec2, text, n, &back) == PAYCORE_OK);
  CHECK(paycore_iso8583_message_encode(back, out, sizeof out, &n) == PAYCORE_OK && n == len);
  CHECK(memcmp(out, sale, len) == 0);
  paycore_iso8583_message_free(back);
  paycore_iso8583_spec_free(spec2);
  paycore_iso8583_message_free(m);
}

static void test_build_signon(void) {
  paycore_iso8583_spec *spec = builtin("cup-pos");
  paycore_iso8583_message *m = NULL;
  CHECK(paycore_iso8583_message_new(spec, S("0800"), &m) == PAYCORE_OK);
  CHECK(paycore_iso8583_message_set_text(m, 11, S("000001")) == PAYCORE_OK);
  CHECK(paycore_iso8583_message_set_text(m, 41, S("12345678")) == PAYCORE_OK);
  CHECK(paycore_iso8583_message_set_text(m, 42, S("123456789012345")) == PAYCORE_OK);
  CHECK(paycore_iso8583_message_set_text(m, 60, S("00000001003")) == PAYCORE_OK);
  CHECK(paycore_iso8583_message_set_bytes(m, 63, (const uint8_t *)"001", 3) == PAYCORE_OK);

  /* Bad values are refused at once, naming the field, and leave the message unchanged. */
  CHECK(paycore_iso8583_message_set_text(m, 11, S("12345")) == PAYCORE_ERR_ISO8583_ENCODE);
  CHECK(last_error_has("field 11"));
  CHECK(paycore_iso8583_message_set_text(m, 3, S("00000A")) == PAYCORE_ERR_ISO8583_ENCODE);
  CHECK(!paycore_iso8583_message_has(m, 3));
  CHECK(paycore_iso8583_message_set_text(m, 52, S("not hex!")) == PAYCORE_ERR_ISO8583_ENCODE);
  CHECK(paycore_iso8583_message_set_text(m, 99, S("1")) == PAYCORE_ERR_ISO8583_ENCODE);
  CHECK(paycore_iso8583_message_set_mti(m, S("08X0")) == PAYCORE_ERR_ISO8583_ENCODE);

  unsigned char expected[128], out[256];
  size_t elen = unhex(SIGNON_HEX, expected), n = 0;
  CHECK(paycore_iso8583_message_encode(m, out, sizeof out, &n) == PAYCORE_OK);
  CHECK(n == elen && memcmp(out, expected, n) == 0);

  /* b field from hex text, then removal. */
  CHECK(paycore_iso8583_message_set_text(m, 52, S("0123456789abcdef")) == PAYCORE_OK);
  char buf[64];
  CHECK(paycore_iso8583_message_get_text(m, 52, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "0123456789ABCDEF");
  bool removed = false;
  CHECK(paycore_iso8583_message_remove(m, 52, &removed) == PAYCORE_OK && removed);
  CHECK(paycore_iso8583_message_remove(m, 52, &removed) == PAYCORE_OK && !removed);

  /* Framed: LEN(2) | TPDU | CUP header | body, and back. */
  paycore_iso8583_frame_layers layers = {true, {0x60, 0x06, 0x01, 0x00, 0x00}, true,
                                         {0x60, 0x31, 0x00, 0x31, 0x18, 0x12}};
  unsigned char frame[256];
  size_t flen = 0;
  CHECK(paycore_iso8583_message_encode_framed(m, &layers, frame, sizeof frame, &flen) == PAYCORE_OK);
  CHECK(flen == 2 + 5 + 6 + elen);
  CHECK(frame[0] == 0 && frame[1] == 5 + 6 + elen && frame[2] == 0x60 && frame[7] == 0x60);
  CHECK(memcmp(frame + 13, expected, elen) == 0);
  CHECK(paycore_iso8583_message_encode_framed(m, NULL, frame, sizeof frame, &n) == PAYCORE_ERR_ISO8583_FRAME);

  paycore_iso8583_message *d = NULL;
  paycore_iso8583_frame_layers got;
  memset(&got, 0, sizeof got);
  CHECK(paycore_iso8583_decode_framed(spec, frame, flen, &d, &got) == PAYCORE_OK);
  CHECK(got.has_tpdu && got.has_header && got.tpdu[1] == 0x06 && got.tpdu[2] == 0x01);
  CHECK(memcmp(got.header, layers.header, 6) == 0);
  CHECK(paycore_iso8583_message_get_text(d, 41, buf, sizeof buf, &n) == PAYCORE_OK);
  CHECK_STR(buf, n, "12345678");
  paycore_iso8583_message_free(d);

  /* A length header that disagrees with the bytes is a framing error. */
  frame[1]++;
  d = NULL;
  CHECK(paycore_iso8583_decode_framed(spec, frame, flen, &d, NULL) == PAYCORE_ERR_ISO8583_FRAME);
  CHECK(d == NULL);

  paycore_iso8583_message_free(m);
  paycore_iso8583_spec_free(spec);
}

static void test_decode_errors(void) {
  paycore_iso8583_spec *spec = builtin("cup-pos");
  unsigned char sale[256];
  size_t len = unhex(SALE_HEX, sale);
  paycore_iso8583_message *m = NULL;

  /* Truncated inside F4 at byte 24. */
  CHECK(paycore_iso8583_decode(spec, sale, 26, &m) == PAYCORE_ERR_ISO8583_TRUNCATED);
  CHECK(m == NULL); /* out-params are written only on success */
  CHECK(last_error_has("field 4 at byte 24"));

  /* Bad BCD nibble in F3 at byte 22. */
  sale[22] = 0x0A;
  CHECK(paycore_iso8583_decode(spec, sale, len, &m) == PAYCORE_ERR_ISO8583_DECODE);
  CHECK(last_error_has("field 3 at byte 22"));
  CHECK(last_error_has("bad BCD nibble A"));
  sale[22] = 0x00;

  /* Trailing bytes. */
  sale[len] = 0;
  CHECK(paycore_iso8583_decode(spec, sale, len + 1, &m) == PAYCORE_ERR_ISO8583_DECODE);
  CHECK(last_error_has("1 trailing bytes"));

  /* The error text never carries field content (no PAN). */
  CHECK(!last_error_has("622848"));

  /* ISO 87 ASCII: a letter in numeric F3. */
  paycore_iso8583_spec *ascii = builtin("iso87ascii");
  const char *bad = "020020000000000000000012A4";
  CHECK(paycore_iso8583_decode(ascii, (const uint8_t *)bad, strlen(bad), &m) == PAYCORE_ERR_ISO8583_DECODE);
  CHECK(last_error_has("field 3 at byte 24"));
  paycore_iso8583_spec_free(ascii);

  /* NULLs. */
  CHECK(paycore_iso8583_decode(NULL, sale, len, &m) == PAYCORE_ERR_NULL_PARAMETER);
  CHECK(paycore_iso8583_decode(spec, NULL, 5, &m) == PAYCORE_ERR_NULL_PARAMETER);
  CHECK(paycore_iso8583_decode(spec, sale, len, NULL) == PAYCORE_ERR_NULL_PARAMETER);
  paycore_iso8583_message_free(NULL);
  paycore_iso8583_spec_free(spec);
}

static void test_specs(void) {
  paycore_iso8583_spec *spec = NULL;
  CHECK(paycore_iso8583_spec_builtin(S("cup-9999"), &spec) == PAYCORE_ERR_ISO8583_SPEC);
  CHECK(spec == NULL);
  CHECK(last_error_has("iso87ascii"));
  CHECK(paycore_iso8583_spec_from_json(S("{\"name\": 1"), &spec) == PAYCORE_ERR_ISO8583_SPEC);
  CHECK(last_error_has("line 1"));

  /* A spec survives a JSON round trip and decodes the same. */
  paycore_iso8583_spec *iso = builtin("iso93ascii");
  size_t n = 0;
  CHECK(paycore_iso8583_spec_to_json(iso, NULL, 0, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n > 100);
  char *json = malloc(n + 1);
  CHECK(paycore_iso8583_spec_to_json(iso, json, n + 1, &n) == PAYCORE_OK);
  CHECK(paycore_iso8583_spec_from_json(json, n, &spec) == PAYCORE_OK);
  free(json);
  char name[32];
  CHECK(paycore_iso8583_spec_name(spec, name, sizeof name, &n) == PAYCORE_OK);
  CHECK_STR(name, n, "iso93ascii");

  paycore_iso8583_message *m = NULL;
  CHECK(paycore_iso8583_message_new(spec, S("1200"), &m) == PAYCORE_OK);
  CHECK(paycore_iso8583_message_set_text(m, 3, S("000000")) == PAYCORE_OK);
  unsigned char out[64];
  CHECK(paycore_iso8583_message_encode(m, out, sizeof out, &n) == PAYCORE_OK);
  CHECK(n == 4 + 16 + 6 && memcmp(out, "12002000000000000000000000", n) == 0);
  paycore_iso8583_message_free(m);

  /* JSON message errors name the field. */
  CHECK(paycore_iso8583_message_from_json(spec, S("{\"mti\":\"1200\",\"fields\":{\"3\":\"12\"}}"), &m) ==
        PAYCORE_ERR_ISO8583_JSON);
  CHECK(last_error_has("field 3"));
  CHECK(paycore_iso8583_message_new(spec, S("12"), &m) == PAYCORE_ERR_ISO8583_ENCODE);
  paycore_iso8583_spec_free(spec);
  paycore_iso8583_spec_free(iso);

  char d[64];
  CHECK(paycore_result_description(PAYCORE_ERR_ISO8583_TRUNCATED, d, sizeof d, &n) == PAYCORE_OK);
  CHECK_STR(d, n, "ISO 8583 message truncated");
}

int main(void) {
  test_decode_sale();
  test_build_signon();
  test_decode_errors();
  test_specs();
  return finish("c iso8583");
}
