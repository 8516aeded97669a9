/* The transaction lifecycle through the C API: a terminal session wired in memory to an
 * acquirer processor (the network answered by this test), run under ASan + UBSan and valgrind.
 * Frames are decoded with the ISO 8583 C API (built-in spec "cup-pos") to check their MTIs. */
#include "check.h"
#include "paycore.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define TID "12345678"
#define MID "898100012340001"
#define PAN "6228480402564890018"
#define PAN_MASKED "622848*********0018"
/* 2026-03-02 02:00:00 UTC = 10:00 Beijing, settlement day 2 March. */
#define T0 1772416800000LL
#define DAY 86400000LL

static const uint8_t TMK[16] = {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                                0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11};
static const uint8_t PIK[16] = {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7};
static const uint8_t MAK[8] = {9, 9, 9, 9, 9, 9, 9, 9};

#define MAX_EVENTS 64
#define EVENT_LEN 2048

/* The whole system: terminal, processor, the network's behaviour and what was seen. */
typedef struct {
  paycore_terminal *term;
  paycore_processor *proc;
  paycore_iso8583_spec *spec;
  int64_t now;
  int drop_responses;      /* terminal responses to lose before delivering */
  int network_declines;    /* answer the network's transaction requests with 05 */
  char t_events[MAX_EVENTS][EVENT_LEN];
  int n_t_events;
  char p_events[MAX_EVENTS][EVENT_LEN];
  int n_p_events;
  char term_mtis[MAX_EVENTS][5]; /* MTIs the terminal sent */
  int n_term_mtis;
  char host_mtis[MAX_EVENTS][5]; /* MTIs the processor sent */
  int n_host_mtis;
  int network_reversals;
} world;

static void last_error(char *buf, size_t len) {
  size_t n = 0;
  if (paycore_last_error_message(buf, len, &n) != PAYCORE_OK) buf[0] = '\0';
}

/* The MTI of a frame, decoded with the ISO 8583 API. */
static void mti_of(world *w, const uint8_t *frame, size_t len, char out[5]) {
  paycore_iso8583_message *m = NULL;
  strcpy(out, "????");
  if (paycore_iso8583_decode(w->spec, frame, len, &m) != PAYCORE_OK) return;
  size_t n = 0;
  char buf[8];
  if (paycore_iso8583_message_mti(m, buf, sizeof buf, &n) == PAYCORE_OK && n == 4) memcpy(out, buf, 5);
  paycore_iso8583_message_free(m);
}

static void drain_events(world *w) {
  char buf[EVENT_LEN];
  size_t n = 0;
  bool more = false;
  while (paycore_terminal_poll_event(w->term, buf, sizeof buf, &n, &more) == PAYCORE_OK && more) {
    if (w->n_t_events < MAX_EVENTS) strcpy(w->t_events[w->n_t_events++], buf);
  }
  while (paycore_processor_poll_event(w->proc, buf, sizeof buf, &n, &more) == PAYCORE_OK && more) {
    if (w->n_p_events < MAX_EVENTS) strcpy(w->p_events[w->n_p_events++], buf);
  }
}

/* Moves frames and network requests until everything is quiet. */
static void pump(world *w) {
  uint8_t frame[1024];
  char json[EVENT_LEN];
  char tid[16];
  size_t n = 0;
  bool more = false;
  for (int round = 0; round < 50; round++) {
    int moved = 0;
    while (paycore_terminal_poll_transmit(w->term, frame, sizeof frame, &n, &more) == PAYCORE_OK && more) {
      moved = 1;
      if (w->n_term_mtis < MAX_EVENTS) mti_of(w, frame, n, w->term_mtis[w->n_term_mtis++]);
      paycore_processor_handle_terminal(w->proc, w->now, frame, n);
    }
    while (paycore_processor_poll_network_request(w->proc, json, sizeof json, &n, &more) == PAYCORE_OK && more) {
      moved = 1;
      unsigned long long id = 0;
      const char *p = strstr(json, "\"id\":");
      if (p) sscanf(p + 5, "%llu", &id);
      if (strstr(json, "\"Reversal\"")) {
        w->network_reversals++;
        CHECK(paycore_processor_handle_network_reversal_ack(w->proc, w->now, id) == PAYCORE_OK);
      } else {
        /* The full PAN goes to the network (it needs it). */
        CHECK(strstr(json, "\"pan\":\"" PAN "\"") != NULL);
        char answer[512];
        if (w->network_declines) {
          snprintf(answer, sizeof answer, "{\"id\":%llu,\"outcome\":{\"Declined\":{\"code\":\"05\"}}}", id);
        } else {
          snprintf(answer, sizeof answer,
                   "{\"id\":%llu,\"outcome\":{\"Approved\":{\"auth_code\":\"A%05llu\","
                   "\"settlement_date\":null,\"card\":{\"brand\":\"UnionPay\",\"card_type\":\"Debit\"},"
                   "\"balance\":null}}}",
                   id, id);
        }
        CHECK(paycore_processor_handle_network_response_json(w->proc, w->now, answer, strlen(answer)) == PAYCORE_OK);
      }
    }
    while (paycore_processor_poll_terminal_transmit(w->proc, tid, sizeof tid, frame, sizeof frame, &n, &more) ==
               PAYCORE_OK &&
           more) {
      moved = 1;
      CHECK(strcmp(tid, TID) == 0);
      if (w->n_host_mtis < MAX_EVENTS) mti_of(w, frame, n, w->host_mtis[w->n_host_mtis++]);
      if (w->drop_responses > 0) {
        w->drop_responses--;
        continue;
      }
      paycore_terminal_handle_response(w->term, w->now, frame, n);
    }
    drain_events(w);
    if (!moved) break;
  }
}

static const char *last_t_event(world *w) { return w->n_t_events ? w->t_events[w->n_t_events - 1] : ""; }
static const char *last_p_event(world *w) { return w->n_p_events ? w->p_events[w->n_p_events - 1] : ""; }
static const char *last_term_mti(world *w) { return w->n_term_mtis ? w->term_mtis[w->n_term_mtis - 1] : ""; }
static const char *last_host_mti(world *w) { return w->n_host_mtis ? w->host_mtis[w->n_host_mtis - 1] : ""; }

static paycore_transaction_request request(uint32_t kind, int64_t amount) {
  paycore_transaction_request r;
  memset(&r, 0, sizeof r);
  r.kind = kind;
  r.amount_minor = amount;
  r.currency = 156;
  r.pan = PAN;
  r.pan_len = strlen(PAN);
  r.entry_mode = PAYCORE_ENTRY_CHIP;
  r.card_sequence = 1;
  return r;
}

static paycore_transaction_request with_original(paycore_transaction_request r, uint32_t batch, uint32_t stan,
                                                 const char *rrn, const char *auth) {
  r.has_original = true;
  r.original_batch = batch;
  r.original_stan = stan;
  r.original_date_mmdd = 302;
  r.original_rrn = rrn;
  r.original_rrn_len = strlen(rrn);
  r.original_auth_code = auth;
  r.original_auth_code_len = strlen(auth);
  return r;
}

static void setup(world *w) {
  memset(w, 0, sizeof *w);
  w->now = T0;
  CHECK(paycore_iso8583_spec_builtin(S("cup-pos"), &w->spec) == PAYCORE_OK);
  CHECK(paycore_processor_new(NULL, &w->proc) == PAYCORE_OK);
  CHECK(paycore_processor_register_terminal(w->proc, S(TID), S(MID), TMK, sizeof TMK) == PAYCORE_OK);
  CHECK(paycore_processor_provide_working_keys(w->proc, S(TID), PIK, sizeof PIK, MAK, sizeof MAK) == PAYCORE_OK);
  CHECK(paycore_terminal_new(S(TID), S(MID), TMK, sizeof TMK, NULL, &w->term) == PAYCORE_OK);
}

static void teardown(world *w) {
  paycore_terminal_free(w->term);
  paycore_processor_free(w->proc);
  paycore_iso8583_spec_free(w->spec);
}

static void sign_on(world *w) {
  CHECK(!paycore_terminal_is_signed_on(w->term));
  CHECK(paycore_terminal_batch(w->term) == 0);
  CHECK(paycore_terminal_sign_on(w->term, w->now) == PAYCORE_OK);
  pump(w);
  CHECK(strcmp(w->term_mtis[0], "0800") == 0);
  CHECK(strcmp(w->host_mtis[0], "0810") == 0);
  CHECK(strcmp(last_t_event(w), "{\"SignedOn\":{\"batch\":1}}") == 0);
  CHECK(paycore_terminal_is_signed_on(w->term));
  CHECK(paycore_terminal_is_ready(w->term));
  CHECK(paycore_terminal_batch(w->term) == 1);
}

/* Sign-on, sale approved, void approved, batch settled balanced. */
static void test_sale_void_settle(void) {
  world w;
  setup(&w);
  sign_on(&w);

  paycore_transaction_request sale = request(PAYCORE_TXN_SALE, 12345);
  uint32_t batch = 0, stan = 0;
  /* Track 2 (F35): malformed → card error; another card's → invalid request; no STAN used. */
  sale.track2 = "6228480402564890018=29";
  sale.track2_len = strlen(sale.track2);
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_ERR_INVALID_TRACK2);
  sale.track2 = "4761739001010010=29122010000";
  sale.track2_len = strlen(sale.track2);
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST);
  sale.track2 = "6228480402564890018=29122011234567";
  sale.track2_len = strlen(sale.track2);
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_OK);
  CHECK(batch == 1 && stan == 2); /* STAN 1 went to the sign-on */
  CHECK(paycore_terminal_is_busy(w.term));
  bool has = false;
  int64_t at = 0;
  CHECK(paycore_terminal_poll_timeout(w.term, &has, &at) == PAYCORE_OK && has && at == T0 + 60000);
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0200") == 0);
  CHECK(strcmp(last_host_mti(&w), "0210") == 0);
  const char *ev = last_t_event(&w);
  CHECK(strstr(ev, "{\"Approved\":{\"txn\":{\"batch\":1,\"stan\":2},\"kind\":\"Sale\"") == ev);
  CHECK(strstr(ev, "\"amount\":{\"minor\":12345,\"currency\":156}") != NULL);
  CHECK(strstr(ev, "\"auth_code\":\"A00001\"") != NULL);
  CHECK(strstr(ev, "\"rrn\":\"000000000001\"") != NULL);
  CHECK(strstr(ev, "\"brand\":\"UnionPay\"") != NULL);
  const char *pev = last_p_event(&w);
  CHECK(strncmp(pev, "{\"Captured\":", 12) == 0);
  CHECK(strstr(pev, "\"pan_masked\":\"" PAN_MASKED "\"") != NULL);
  CHECK(strstr(pev, PAN) == NULL); /* no full PAN in domain events */
  CHECK(strstr(pev, "\"settlement_date\":\"2026-03-02\"") != NULL);

  paycore_batch_totals t;
  CHECK(paycore_terminal_totals(w.term, &t) == PAYCORE_OK);
  CHECK(t.domestic.debit_amount == 12345 && t.domestic.debit_count == 1 && t.domestic.credit_count == 0);

  char journal[2048];
  size_t n = 0;
  CHECK(paycore_terminal_journal_json(w.term, journal, sizeof journal, &n) == PAYCORE_OK);
  CHECK(strstr(journal, "\"pan_masked\":\"" PAN_MASKED "\"") != NULL);
  CHECK(strstr(journal, PAN) == NULL);
  CHECK(strstr(journal, "\"stan\":2") != NULL && strstr(journal, "\"reversed\":false") != NULL);

  /* Void of the sale, same settlement day. */
  paycore_transaction_request v = with_original(request(PAYCORE_TXN_VOID, 12345), 1, 2, "000000000001", "A00001");
  CHECK(paycore_terminal_begin(w.term, w.now, &v, &batch, &stan) == PAYCORE_OK && stan == 3);
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0200") == 0);
  ev = last_t_event(&w);
  CHECK(strstr(ev, "{\"Approved\":{\"txn\":{\"batch\":1,\"stan\":3},\"kind\":\"Void\"") == ev);
  CHECK(strstr(ev, "\"minor\":12345") != NULL);
  CHECK(strncmp(last_p_event(&w), "{\"Voided\":", 10) == 0);
  CHECK(paycore_terminal_totals(w.term, &t) == PAYCORE_OK);
  CHECK(t.domestic.credit_amount == 12345 && t.domestic.credit_count == 1);

  /* Host totals agree; the settlement is balanced and the terminal moves to batch 2. */
  paycore_batch_totals host;
  CHECK(paycore_processor_batch_totals(w.proc, S(TID), 1, &host) == PAYCORE_OK);
  CHECK(host.domestic.debit_amount == 12345 && host.domestic.credit_amount == 12345);
  CHECK(paycore_terminal_settle(w.term, w.now) == PAYCORE_OK);
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0500") == 0);
  CHECK(strcmp(last_host_mti(&w), "0510") == 0);
  ev = last_t_event(&w);
  CHECK(strncmp(ev, "{\"BatchSettled\":{\"batch\":1,", 27) == 0);
  CHECK(strstr(ev, "\"uploaded\":false") != NULL);
  CHECK(strstr(ev, "\"debit_amount\":12345,\"debit_count\":1,\"credit_amount\":12345,\"credit_count\":1") != NULL);
  CHECK(strncmp(last_p_event(&w), "{\"BatchSettled\":", 16) == 0);
  CHECK(paycore_terminal_batch(w.term) == 2);
  CHECK(paycore_terminal_journal_json(w.term, journal, sizeof journal, &n) == PAYCORE_OK);
  CHECK_STR(journal, n, "[]");
  teardown(&w);
}

/* A lost 0210: timeout → OutcomeUnknown → 0400, whose first answer is lost too, retried,
 * then acknowledged; the processor reverses exactly once. */
static void test_timeout_reversal(void) {
  world w;
  setup(&w);
  sign_on(&w);
  paycore_transaction_request sale = request(PAYCORE_TXN_SALE, 7700);
  uint32_t batch = 0, stan = 0;
  w.drop_responses = 1;
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_OK);
  pump(&w);
  CHECK(strncmp(last_p_event(&w), "{\"Captured\":", 12) == 0);
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE);

  bool has = false;
  int64_t at = 0;
  CHECK(paycore_terminal_poll_timeout(w.term, &has, &at) == PAYCORE_OK && has && at == T0 + 60000);
  w.now = at;
  w.drop_responses = 1; /* the first 0410 is lost as well */
  CHECK(paycore_terminal_handle_timeout(w.term, w.now) == PAYCORE_OK);
  CHECK(paycore_terminal_is_reversing(w.term));
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0400") == 0);
  CHECK(strcmp(last_host_mti(&w), "0410") == 0);
  int found = 0;
  for (int i = 0; i < w.n_t_events; i++)
    if (strstr(w.t_events[i], "{\"OutcomeUnknown\":{\"txn\":{\"batch\":1,\"stan\":2},\"kind\":\"Sale\","
                                "\"reason\":\"Timeout\",\"reversing\":true}}"))
      found = 1;
  CHECK(found);
  CHECK(paycore_terminal_settle(w.term, w.now) == PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE);
  CHECK(paycore_terminal_is_reversing(w.term));

  /* Retry on the back-off schedule until the host's 0410 gets through. */
  int sent_0400 = 0;
  for (int i = 0; i < 10 && paycore_terminal_is_reversing(w.term); i++) {
    CHECK(paycore_terminal_poll_timeout(w.term, &has, &at) == PAYCORE_OK && has);
    w.now = at;
    CHECK(paycore_terminal_handle_timeout(w.term, w.now) == PAYCORE_OK);
    pump(&w);
  }
  for (int i = 0; i < w.n_term_mtis; i++) sent_0400 += strcmp(w.term_mtis[i], "0400") == 0;
  CHECK(sent_0400 >= 2);
  CHECK(!paycore_terminal_is_reversing(w.term));
  CHECK(strcmp(last_t_event(&w), "{\"Reversed\":{\"txn\":{\"batch\":1,\"stan\":2},\"kind\":\"Sale\"}}") == 0);
  int reversed = 0;
  for (int i = 0; i < w.n_p_events; i++) reversed += strncmp(w.p_events[i], "{\"Reversed\":", 12) == 0;
  CHECK(reversed == 1);
  CHECK(w.network_reversals == 1);
  paycore_batch_totals t;
  CHECK(paycore_terminal_totals(w.term, &t) == PAYCORE_OK && t.domestic.debit_count == 0);
  CHECK(paycore_processor_batch_totals(w.proc, S(TID), 1, &t) == PAYCORE_OK && t.domestic.debit_amount == 0);
  teardown(&w);
}

/* The app dies with a sale outstanding; the restored session reverses it. */
static void test_save_restore(void) {
  world w;
  setup(&w);
  sign_on(&w);
  paycore_transaction_request sale = request(PAYCORE_TXN_SALE, 4200);
  uint32_t batch = 0, stan = 0;
  w.drop_responses = 1;
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_OK);
  pump(&w);

  size_t need = 0;
  CHECK(paycore_terminal_to_json(w.term, NULL, 0, &need) == PAYCORE_ERR_BUFFER_TOO_SMALL && need > 100);
  char *saved = malloc(need + 1);
  size_t n = 0;
  CHECK(paycore_terminal_to_json(w.term, saved, need + 1, &n) == PAYCORE_OK && n == need);
  paycore_terminal_free(w.term);
  w.term = NULL;
  CHECK(paycore_terminal_from_json(saved, n, &w.term) == PAYCORE_OK);
  free(saved);
  CHECK(paycore_terminal_is_busy(w.term) && paycore_terminal_is_signed_on(w.term));
  bool has = false;
  int64_t at = 0;
  CHECK(paycore_terminal_poll_timeout(w.term, &has, &at) == PAYCORE_OK && has && at == T0 + 60000);
  w.now = at + 1000;
  CHECK(paycore_terminal_handle_timeout(w.term, w.now) == PAYCORE_OK);
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0400") == 0);
  CHECK(strcmp(last_t_event(&w), "{\"Reversed\":{\"txn\":{\"batch\":1,\"stan\":2},\"kind\":\"Sale\"}}") == 0);
  CHECK(strncmp(last_p_event(&w), "{\"Reversed\":", 12) == 0);
  CHECK(strstr(last_p_event(&w), "\"minor\":4200") != NULL);
  teardown(&w);
}

/* A refund larger than the original sale is declined by the processor with 61. */
static void test_refund_exceeds(void) {
  world w;
  setup(&w);
  sign_on(&w);
  paycore_transaction_request sale = request(PAYCORE_TXN_SALE, 10000);
  uint32_t batch = 0, stan = 0;
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_OK);
  pump(&w);
  CHECK(strstr(last_t_event(&w), "\"Approved\"") != NULL);
  w.now += DAY; /* refunds start on the next settlement day */
  paycore_transaction_request r =
      with_original(request(PAYCORE_TXN_REFUND, 15000), batch, stan, "000000000001", "A00001");
  CHECK(paycore_terminal_begin(w.term, w.now, &r, &batch, &stan) == PAYCORE_OK);
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0220") == 0);
  CHECK(strcmp(last_host_mti(&w), "0230") == 0);
  CHECK(strcmp(last_t_event(&w), "{\"Declined\":{\"txn\":{\"batch\":1,\"stan\":3},\"kind\":\"Refund\",\"code\":\"61\"}}") ==
        0);
  const char *pev = last_p_event(&w);
  CHECK(strncmp(pev, "{\"Declined\":", 12) == 0);
  CHECK(strstr(pev, "\"reason\":\"AmountExceeded\",\"code\":\"61\"") != NULL);
  /* A void without its original is refused before anything is sent. */
  paycore_transaction_request v = request(PAYCORE_TXN_VOID, 100);
  CHECK(paycore_terminal_begin(w.term, w.now, &v, &batch, &stan) == PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST);
  CHECK(paycore_terminal_is_ready(w.term));
  teardown(&w);
}

static void test_bad_inputs(void) {
  world w;
  setup(&w);
  char msg[512];
  uint32_t batch = 0, stan = 0;
  paycore_transaction_request sale = request(PAYCORE_TXN_SALE, 100);

  /* Not signed on yet. */
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE);
  sign_on(&w);

  /* Malformed response bytes: typed error naming where, nothing changes. */
  static const uint8_t junk[] = {0x08, 0x10, 0xFF};
  CHECK(paycore_terminal_handle_response(w.term, w.now, junk, sizeof junk) ==
        PAYCORE_ERR_LIFECYCLE_MALFORMED_MESSAGE);
  last_error(msg, sizeof msg);
  CHECK(strstr(msg, "malformed message") != NULL && strstr(msg, "byte") != NULL);
  CHECK(paycore_terminal_is_ready(w.term));
  /* A well-formed frame nobody asked for. */
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_OK);
  uint8_t frame[1024];
  size_t n = 0;
  bool more = false;
  /* Too small a buffer: the frame is kept and the length needed reported. */
  CHECK(paycore_terminal_poll_transmit(w.term, frame, 4, &n, &more) == PAYCORE_ERR_BUFFER_TOO_SMALL && n > 4);
  size_t need = n;
  CHECK(paycore_terminal_poll_transmit(w.term, frame, sizeof frame, &n, &more) == PAYCORE_OK && more && n == need);
  /* Feeding the terminal its own 0200 back: not the response to the outstanding request. */
  CHECK(paycore_terminal_handle_response(w.term, w.now, frame, n) == PAYCORE_ERR_LIFECYCLE_MISMATCH);

  /* Bad TMK length: typed error, no key bytes in the message. */
  paycore_terminal *t2 = NULL;
  CHECK(paycore_terminal_new(S(TID), S(MID), TMK, 8, NULL, &t2) == PAYCORE_ERR_KEY_LENGTH && t2 == NULL);
  last_error(msg, sizeof msg);
  CHECK(strstr(msg, "TMK must be 16 bytes, got 8") != NULL);
  CHECK(strstr(msg, "11") == NULL);
  CHECK(paycore_processor_provide_working_keys(w.proc, S(TID), PIK, 15, MAK, 8) == PAYCORE_ERR_KEY_LENGTH);
  /* Bad identifiers. */
  CHECK(paycore_terminal_new(S("1234"), S(MID), TMK, 16, NULL, &t2) == PAYCORE_ERR_LIFECYCLE_IDENTIFIER);
  CHECK(paycore_processor_provide_working_keys(w.proc, S("87654321"), PIK, 16, MAK, 8) ==
        PAYCORE_ERR_LIFECYCLE_UNKNOWN_TERMINAL);

  /* Out-of-range enums and values in a request. */
  paycore_transaction_request bad = request(99, 100);
  CHECK(paycore_terminal_begin(w.term, w.now, &bad, &batch, &stan) == PAYCORE_ERR_INVALID_ARGUMENT);
  last_error(msg, sizeof msg);
  CHECK(strstr(msg, "transaction kind 99 out of range 0..=7") != NULL);
  bad = request(PAYCORE_TXN_SALE, 100);
  bad.entry_mode = 5;
  CHECK(paycore_terminal_begin(w.term, w.now, &bad, &batch, &stan) == PAYCORE_ERR_INVALID_ARGUMENT);
  bad = request(PAYCORE_TXN_SALE, -1);
  CHECK(paycore_terminal_begin(w.term, w.now, &bad, &batch, &stan) == PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE);
  bad = request(PAYCORE_TXN_SALE, 100);
  bad.pan_len = 5;
  CHECK(paycore_terminal_begin(w.term, w.now, &bad, &batch, &stan) == PAYCORE_ERR_INVALID_PAN);
  bad = request(PAYCORE_TXN_SALE, 100);
  static const uint8_t short_pin[4] = {1, 2, 3, 4};
  bad.pin_block = short_pin;
  bad.pin_block_len = 4;
  CHECK(paycore_terminal_begin(w.term, w.now, &bad, &batch, &stan) == PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST);
  /* The sale above is still outstanding: nothing else may start. */
  bad = request(PAYCORE_TXN_SALE, 100);
  CHECK(paycore_terminal_begin(w.term, w.now, &bad, &batch, &stan) == PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE);

  /* Bad JSON in. */
  CHECK(paycore_terminal_from_json(S("{\"config\":1}"), &t2) == PAYCORE_ERR_LIFECYCLE_JSON && t2 == NULL);
  CHECK(paycore_processor_handle_network_response_json(w.proc, w.now, S("{\"id\":1}")) ==
        PAYCORE_ERR_LIFECYCLE_JSON);
  CHECK(paycore_processor_handle_network_response_json(
            w.proc, w.now, S("{\"id\":777,\"outcome\":{\"Declined\":{\"code\":\"05\"}}}")) ==
        PAYCORE_ERR_LIFECYCLE_UNKNOWN_NETWORK_REQUEST);
  /* Time out of range, NULLs, options. */
  CHECK(paycore_terminal_echo(w.term, INT64_MAX) == PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE);
  CHECK(paycore_terminal_sign_on(NULL, w.now) == PAYCORE_ERR_NULL_PARAMETER);
  CHECK(!paycore_terminal_is_signed_on(NULL));
  paycore_terminal_options o;
  CHECK(paycore_terminal_options_default(&o) == PAYCORE_OK);
  CHECK(o.response_timeout_ms == 60000 && o.cutoff_utc_offset_seconds == 28800 && o.cutoff_seconds_of_day == 82800);
  o.cutoff_seconds_of_day = 90000;
  CHECK(paycore_terminal_new(S(TID), S(MID), TMK, 16, &o, &t2) == PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE);
  static const uint32_t backoff[2] = {0, 1000};
  CHECK(paycore_terminal_options_default(&o) == PAYCORE_OK);
  o.response_timeout_ms = 15000;
  o.reversal_backoff_ms = backoff;
  o.reversal_backoff_len = 2;
  CHECK(paycore_terminal_new(S(TID), S(MID), TMK, 16, &o, &t2) == PAYCORE_OK);
  CHECK(paycore_terminal_sign_on(t2, T0) == PAYCORE_OK);
  bool has = false;
  int64_t at = 0;
  CHECK(paycore_terminal_poll_timeout(t2, &has, &at) == PAYCORE_OK && has && at == T0 + 15000);
  paycore_terminal_free(t2);
  paycore_processor_config pc;
  CHECK(paycore_processor_config_default(&pc) == PAYCORE_OK);
  CHECK(pc.preauth_window_days == 30 && pc.network_timeout_ms == 30000);
  paycore_processor *p2 = NULL;
  CHECK(paycore_processor_new(&pc, &p2) == PAYCORE_OK);
  CHECK(paycore_processor_handle_terminal(p2, T0, junk, sizeof junk) == PAYCORE_ERR_LIFECYCLE_MALFORMED_MESSAGE);
  paycore_processor_free(p2);
  paycore_terminal_free(NULL);
  paycore_processor_free(NULL);

  size_t dn = 0;
  char desc[128];
  CHECK(paycore_result_description(PAYCORE_ERR_LIFECYCLE_KEY_BLOCK, desc, sizeof desc, &dn) == PAYCORE_OK);
  CHECK_STR(desc, dn, "sign-on key block cannot be unwrapped");
  teardown(&w);
}

/* A terminal whose TMK differs from the host's refuses the sign-on key block. */
static void test_wrong_tmk(void) {
  world w;
  setup(&w);
  paycore_terminal_free(w.term);
  uint8_t other[16];
  memset(other, 0x22, sizeof other);
  CHECK(paycore_terminal_new(S(TID), S(MID), other, sizeof other, NULL, &w.term) == PAYCORE_OK);
  CHECK(paycore_terminal_sign_on(w.term, w.now) == PAYCORE_OK);
  uint8_t frame[1024];
  char tid[16];
  size_t n = 0;
  bool more = false;
  CHECK(paycore_terminal_poll_transmit(w.term, frame, sizeof frame, &n, &more) == PAYCORE_OK && more);
  CHECK(paycore_processor_handle_terminal(w.proc, w.now, frame, n) == PAYCORE_OK);
  CHECK(paycore_processor_poll_terminal_transmit(w.proc, tid, sizeof tid, frame, sizeof frame, &n, &more) ==
            PAYCORE_OK &&
        more);
  CHECK(paycore_terminal_handle_response(w.term, w.now, frame, n) == PAYCORE_ERR_LIFECYCLE_KEY_BLOCK);
  CHECK(!paycore_terminal_is_signed_on(w.term));
  teardown(&w);
}

/* Echo, a local failure after an approval (reversed), sign-off. */
static void test_echo_local_failure_sign_off(void) {
  world w;
  setup(&w);
  sign_on(&w);
  CHECK(paycore_terminal_echo(w.term, w.now) == PAYCORE_OK);
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0820") == 0 && strcmp(last_host_mti(&w), "0830") == 0);
  CHECK(strcmp(last_t_event(&w), "{\"EchoAnswered\":{\"ok\":true}}") == 0);
  paycore_transaction_request sale = request(PAYCORE_TXN_SALE, 300);
  uint32_t batch = 0, stan = 0;
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_OK && stan == 3);
  pump(&w);
  CHECK(paycore_terminal_handle_local_failure(w.term, w.now) == PAYCORE_OK);
  pump(&w);
  CHECK(strcmp(last_term_mti(&w), "0400") == 0 && strcmp(last_host_mti(&w), "0410") == 0);
  CHECK(strcmp(last_t_event(&w), "{\"Reversed\":{\"txn\":{\"batch\":1,\"stan\":3},\"kind\":\"Sale\"}}") == 0);
  CHECK(strncmp(last_p_event(&w), "{\"Reversed\":", 12) == 0);
  char journal[1024];
  size_t n = 0;
  CHECK(paycore_terminal_journal_json(w.term, journal, sizeof journal, &n) == PAYCORE_OK);
  CHECK(strstr(journal, "\"reversed\":true") != NULL);
  CHECK(paycore_terminal_handle_local_failure(w.term, w.now) == PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE);
  CHECK(paycore_terminal_sign_off(w.term, w.now) == PAYCORE_OK);
  pump(&w);
  CHECK(strcmp(last_t_event(&w), "\"SignedOff\"") == 0);
  CHECK(!paycore_terminal_is_signed_on(w.term));
  teardown(&w);
}

/* A switch restarts while the network is deciding: the restored processor takes the answer. */
static void test_processor_save_restore(void) {
  world w;
  setup(&w);
  sign_on(&w);
  paycore_transaction_request sale = request(PAYCORE_TXN_SALE, 5500);
  uint32_t batch = 0, stan = 0;
  CHECK(paycore_terminal_begin(w.term, w.now, &sale, &batch, &stan) == PAYCORE_OK);
  uint8_t frame[1024];
  char json[EVENT_LEN];
  char tid[16];
  size_t n = 0;
  bool more = false;
  CHECK(paycore_terminal_poll_transmit(w.term, frame, sizeof frame, &n, &more) == PAYCORE_OK && more);
  CHECK(paycore_processor_handle_terminal(w.proc, w.now, frame, n) == PAYCORE_OK);
  CHECK(paycore_processor_poll_network_request(w.proc, json, sizeof json, &n, &more) == PAYCORE_OK && more);
  CHECK(strstr(json, "\"id\":1,") != NULL && strstr(json, "\"minor\":5500") != NULL);

  size_t need = 0;
  CHECK(paycore_processor_to_json(w.proc, NULL, 0, &need) == PAYCORE_ERR_BUFFER_TOO_SMALL);
  char *saved = malloc(need + 1);
  CHECK(paycore_processor_to_json(w.proc, saved, need + 1, &n) == PAYCORE_OK && n == need);
  paycore_processor_free(w.proc);
  w.proc = NULL;
  CHECK(paycore_processor_from_json(saved, n, &w.proc) == PAYCORE_OK);
  free(saved);
  bool has = false;
  int64_t at = 0;
  CHECK(paycore_processor_poll_timeout(w.proc, &has, &at) == PAYCORE_OK && has && at == T0 + 30000);
  const char *answer = "{\"id\":1,\"outcome\":{\"Approved\":{\"auth_code\":\"R00001\",\"settlement_date\":null,"
                       "\"card\":{\"brand\":\"UnionPay\",\"card_type\":\"Credit\"},\"balance\":null}}}";
  CHECK(paycore_processor_handle_network_response_json(w.proc, w.now, answer, strlen(answer)) == PAYCORE_OK);
  CHECK(paycore_processor_poll_terminal_transmit(w.proc, tid, sizeof tid, frame, sizeof frame, &n, &more) ==
            PAYCORE_OK &&
        more);
  CHECK(paycore_terminal_handle_response(w.term, w.now, frame, n) == PAYCORE_OK);
  drain_events(&w);
  CHECK(strstr(last_t_event(&w), "\"auth_code\":\"R00001\"") != NULL);
  CHECK(strstr(last_p_event(&w), "\"card_type\":\"Credit\"") != NULL);
  paycore_processor *p2 = NULL;
  CHECK(paycore_processor_from_json(S("[]"), &p2) == PAYCORE_ERR_LIFECYCLE_JSON && p2 == NULL);
  teardown(&w);
}

int main(void) {
  test_sale_void_settle();
  test_timeout_reversal();
  test_save_restore();
  test_refund_exceeds();
  test_bad_inputs();
  test_wrong_tmk();
  test_echo_local_failure_sign_off();
  test_processor_save_restore();
  return finish("c lifecycle");
}
