/* The ledger C API: the doc example of core/src/ledger/mod.rs (sale, partial refund, payout,
 * withdrawal) with the balances after each, precise result codes, idempotent retries,
 * journal replay and snapshots. 128-bit values are paycore_u128 {hi, lo}. */
#include "check.h"
#include "paycore.h"
#include <stdlib.h>

#define CNY 156u
#define MERCHANT 42u
#define AGENT 7u

static paycore_u128 u(uint64_t lo) {
  paycore_u128 v = {0, lo};
  return v;
}

/* Posted balance of a chart account on its normal side, as a signed 64-bit value. */
static int64_t posted(const paycore_ledger *l, uint32_t kind, uint64_t owner) {
  paycore_u128 id;
  uint32_t side = 99;
  paycore_ledger_balances b;
  if (paycore_ledger_chart_account_id(kind, owner, CNY, &id) != PAYCORE_OK) return INT64_MIN;
  if (paycore_ledger_chart_normal_side(kind, &side) != PAYCORE_OK) return INT64_MIN;
  if (paycore_ledger_account_balances(l, id, side, &b) != PAYCORE_OK) return INT64_MIN;
  if (b.posted.magnitude.hi != 0) return INT64_MIN;
  return b.posted.negative ? -(int64_t)b.posted.magnitude.lo : (int64_t)b.posted.magnitude.lo;
}

static int64_t available(const paycore_ledger *l, uint32_t kind, uint64_t owner) {
  paycore_u128 id;
  paycore_ledger_balances b;
  paycore_ledger_chart_account_id(kind, owner, CNY, &id);
  if (paycore_ledger_account_balances(l, id, PAYCORE_SIDE_CREDIT, &b) != PAYCORE_OK) return INT64_MIN;
  return b.available.negative ? -(int64_t)b.available.magnitude.lo : (int64_t)b.available.magnitude.lo;
}

static uint64_t now_ns = 1000;

/* Posts an event; true when every leg was created. */
static int post(paycore_ledger *l, uint32_t kind, uint64_t event_id, uint64_t gross,
                uint64_t fee, uint64_t cost, uint64_t commission) {
  paycore_ledger_event e;
  memset(&e, 0, sizeof e);
  e.kind = kind;
  e.event_id = event_id;
  e.merchant_id = MERCHANT;
  e.agent_id = AGENT;
  e.ledger = CNY;
  e.gross = u(gross);
  e.merchant_fee = u(fee);
  e.scheme_cost = u(cost);
  e.agent_commission = u(commission);
  uint32_t results[8];
  size_t n = 0;
  if (paycore_ledger_post_event(l, &e, ++now_ns, results, 8, &n) != PAYCORE_OK) return 0;
  for (size_t i = 0; i < n; i++)
    if (results[i] != PAYCORE_TRANSFER_CREATED) return 0;
  return n > 0;
}

static void create_chart(paycore_ledger *l) {
  paycore_ledger_account accounts[33];
  size_t n = 0, total = 0;
  CHECK(paycore_ledger_chart_accounts(PAYCORE_OWNER_PLATFORM, 0, CNY, accounts, 33, &n) == PAYCORE_OK);
  total += n;
  CHECK(paycore_ledger_chart_accounts(PAYCORE_OWNER_MERCHANT, MERCHANT, CNY, accounts + total, 33 - total, &n) == PAYCORE_OK);
  total += n;
  CHECK(paycore_ledger_chart_accounts(PAYCORE_OWNER_AGENT, AGENT, CNY, accounts + total, 33 - total, &n) == PAYCORE_OK);
  total += n;
  CHECK(total == 11); /* 6 platform + 4 merchant + 1 agent */
  /* Too small an array: the count needed, nothing written. */
  CHECK(paycore_ledger_chart_accounts(PAYCORE_OWNER_PLATFORM, 0, CNY, accounts, 2, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n == 6);
  CHECK(paycore_ledger_chart_accounts(9, 0, CNY, accounts, 33, &n) == PAYCORE_ERR_INVALID_ARGUMENT);
  uint32_t results[33];
  CHECK(paycore_ledger_create_accounts(l, accounts, total, 1000, results) == PAYCORE_OK);
  for (size_t i = 0; i < total; i++) CHECK(results[i] == PAYCORE_ACCOUNT_CREATED);
  /* Creating them again: idempotent `exists`. */
  CHECK(paycore_ledger_create_accounts(l, accounts, 1, 1001, results) == PAYCORE_OK);
  CHECK(results[0] == PAYCORE_ACCOUNT_EXISTS);
  /* Same id, different flags: the precise code and its name. */
  paycore_ledger_account changed = accounts[0];
  changed.flags ^= PAYCORE_ACCOUNT_FLAG_HISTORY;
  CHECK(paycore_ledger_create_accounts(l, &changed, 1, 1002, results) == PAYCORE_OK);
  CHECK(results[0] == PAYCORE_ACCOUNT_EXISTS_WITH_DIFFERENT_FLAGS);
  char name[64];
  size_t len = 0;
  CHECK(paycore_ledger_account_result_name(results[0], name, sizeof name, &len) == PAYCORE_OK);
  CHECK_STR(name, len, "exists_with_different_flags");
}

static void test_doc_example(void) {
  paycore_ledger *l = NULL;
  CHECK(paycore_ledger_new(&l) == PAYCORE_OK && l != NULL);
  create_chart(l);

  /* A 100.00 sale: MDR 0.60 %, scheme cost 0.45 %, agent share 0.05 % (4 linked legs). */
  CHECK(post(l, PAYCORE_EVENT_SALE, 1, 10000, 60, 45, 5));
  CHECK(posted(l, PAYCORE_KIND_NETWORK_RECEIVABLE, 0) == 10000);
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_UNCLEARED, MERCHANT) == 9940);
  CHECK(posted(l, PAYCORE_KIND_FEE_REVENUE, 0) == 10);
  CHECK(posted(l, PAYCORE_KIND_AGENT_COMMISSION_PAYABLE, AGENT) == 5);

  /* Idempotent retry: the same event again is `exists`, balances unchanged. */
  paycore_ledger_event sale;
  memset(&sale, 0, sizeof sale);
  sale.kind = PAYCORE_EVENT_SALE;
  sale.event_id = 1;
  sale.merchant_id = MERCHANT;
  sale.agent_id = AGENT;
  sale.ledger = CNY;
  sale.gross = u(10000);
  sale.merchant_fee = u(60);
  sale.scheme_cost = u(45);
  sale.agent_commission = u(5);
  uint32_t results[8];
  size_t n = 0;
  CHECK(paycore_ledger_post_event(l, &sale, ++now_ns, results, 8, &n) == PAYCORE_OK && n == 4);
  CHECK(results[0] == PAYCORE_TRANSFER_EXISTS);
  CHECK(results[1] == PAYCORE_TRANSFER_LINKED_EVENT_FAILED);
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_UNCLEARED, MERCHANT) == 9940);
  /* Same event id, different amount: exists_with_different_amount. */
  sale.gross = u(10001);
  CHECK(paycore_ledger_post_event(l, &sale, ++now_ns, results, 8, &n) == PAYCORE_OK);
  CHECK(results[0] == PAYCORE_TRANSFER_EXISTS_WITH_DIFFERENT_AMOUNT);
  char name[64];
  size_t len = 0;
  CHECK(paycore_ledger_transfer_result_name(results[0], name, sizeof name, &len) == PAYCORE_OK);
  CHECK_STR(name, len, "exists_with_different_amount");
  CHECK(paycore_ledger_transfer_result_name(61, name, sizeof name, &len) == PAYCORE_ERR_INVALID_ARGUMENT);
  /* Fee larger than the sale: a posting error, nothing recorded. */
  sale.event_id = 99;
  sale.gross = u(10);
  sale.merchant_fee = u(60);
  CHECK(paycore_ledger_post_event(l, &sale, ++now_ns, results, 8, &n) == PAYCORE_ERR_LEDGER_POSTING);
  sale.kind = 77;
  CHECK(paycore_ledger_post_event(l, &sale, ++now_ns, results, 8, &n) == PAYCORE_ERR_INVALID_ARGUMENT);

  /* A partial refund of 20.00; the proportional fee (12) refunded, the scheme returns 9. */
  CHECK(post(l, PAYCORE_EVENT_REFUND, 2, 2000, 12, 9, 0));
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_UNCLEARED, MERCHANT) == 7952);
  CHECK(posted(l, PAYCORE_KIND_FEE_REVENUE, 0) == 7);

  /* Cut-off, settlement run, the network paying 8,000 - 36 cost. */
  CHECK(post(l, PAYCORE_EVENT_CLEARING, 3, 7952, 0, 0, 0));
  CHECK(post(l, PAYCORE_EVENT_SETTLEMENT_RUN, 4, 7952, 0, 0, 0));
  CHECK(post(l, PAYCORE_EVENT_NETWORK_SETTLEMENT, 5, 7964, 0, 36, 0));
  CHECK(posted(l, PAYCORE_KIND_NETWORK_RECEIVABLE, 0) == 0);
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_UNCLEARED, MERCHANT) == 0);
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 7952);

  /* A payout of 50.00. */
  CHECK(post(l, PAYCORE_EVENT_PAYOUT, 6, 5000, 0, 0, 0));
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 2952);

  /* A rejected transfer: more than the merchant has is exceeds_credits (withdrawable
   * accounts forbid debits beyond credits); a retry of the same id is id_already_failed. */
  paycore_ledger_transfer t;
  memset(&t, 0, sizeof t);
  t.id = u(5000);
  CHECK(paycore_ledger_chart_account_id(PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT, CNY, &t.debit_account_id) == PAYCORE_OK);
  CHECK(paycore_ledger_chart_account_id(PAYCORE_KIND_SETTLEMENT_BANK, 0, CNY, &t.credit_account_id) == PAYCORE_OK);
  t.amount = u(1000000);
  t.ledger = CNY;
  t.code = 12;
  uint32_t r = 0;
  CHECK(paycore_ledger_create_transfers(l, &t, 1, ++now_ns, &r) == PAYCORE_OK);
  CHECK(r == PAYCORE_TRANSFER_EXCEEDS_CREDITS);
  CHECK(paycore_ledger_create_transfers(l, &t, 1, ++now_ns, &r) == PAYCORE_OK);
  CHECK(r == PAYCORE_TRANSFER_ID_ALREADY_FAILED);
  t.id = u(5001);
  t.amount = u(0);
  CHECK(paycore_ledger_create_transfers(l, &t, 1, ++now_ns, &r) == PAYCORE_OK);
  CHECK(r == PAYCORE_TRANSFER_AMOUNT_MUST_NOT_BE_ZERO);
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 2952);

  /* A withdrawal of 20.00 with a 2.00 fee deducted inside: reserved, approved, paid. */
  paycore_withdrawal_policy policy;
  memset(&policy, 0, sizeof policy);
  policy.min_amount = u(100);
  policy.max_amount = u(1000000);
  policy.fee_fixed = u(200);
  policy.fee_mode = PAYCORE_FEE_INSIDE;
  paycore_withdrawal_request req;
  memset(&req, 0, sizeof req);
  req.withdrawal_id = 1;
  req.merchant_id = MERCHANT;
  req.ledger = CNY;
  req.amount = u(2000);
  paycore_withdrawal *w = NULL;
  uint64_t wnow = 2000000000ull;
  CHECK(paycore_withdrawal_create(l, &policy, &req, wnow, &w) == PAYCORE_OK && w != NULL);
  CHECK(available(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 952);
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 2952);
  uint32_t state = 99;
  paycore_u128 fee, payout;
  CHECK(paycore_withdrawal_info(w, &state, &fee, &payout) == PAYCORE_OK);
  CHECK(state == PAYCORE_WITHDRAWAL_STATE_REQUESTED && fee.lo == 200 && payout.lo == 1800);
  /* Paid before approval is an illegal transition; nothing changes. */
  CHECK(paycore_withdrawal_apply(w, l, PAYCORE_WITHDRAWAL_PAID, wnow + 1) == PAYCORE_ERR_WITHDRAWAL_ILLEGAL_TRANSITION);
  CHECK(paycore_withdrawal_apply(w, l, 42, wnow + 1) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(paycore_withdrawal_apply(w, l, PAYCORE_WITHDRAWAL_APPROVE, wnow + 1) == PAYCORE_OK);
  CHECK(paycore_withdrawal_apply(w, l, PAYCORE_WITHDRAWAL_PAID, wnow + 2) == PAYCORE_OK);
  CHECK(paycore_withdrawal_info(w, &state, NULL, NULL) == PAYCORE_OK && state == PAYCORE_WITHDRAWAL_STATE_PAID);
  CHECK(posted(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 952);
  CHECK(posted(l, PAYCORE_KIND_FEE_REVENUE, 0) == 7 + 200);
  paycore_withdrawal_free(w);

  /* A second withdrawal beyond the balance; one below the minimum. */
  paycore_withdrawal *w2 = NULL;
  req.withdrawal_id = 2;
  CHECK(paycore_withdrawal_create(l, &policy, &req, wnow + 3, &w2) == PAYCORE_ERR_WITHDRAWAL_INSUFFICIENT && w2 == NULL);
  req.amount = u(50);
  CHECK(paycore_withdrawal_create(l, &policy, &req, wnow + 3, &w2) == PAYCORE_ERR_WITHDRAWAL_LIMIT && w2 == NULL);
  CHECK(paycore_ledger_check_invariants(l) == PAYCORE_OK);

  /* Paging through the merchant's withdrawable account, two at a time. */
  paycore_ledger_account_filter f;
  memset(&f, 0, sizeof f);
  CHECK(paycore_ledger_chart_account_id(PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT, CNY, &f.account_id) == PAYCORE_OK);
  f.limit = 2;
  f.debits = true;
  f.credits = true;
  paycore_ledger_transfer page[2];
  size_t count = 0, seen = 0;
  bool more = false;
  uint64_t cursor = 0;
  do {
    CHECK(paycore_ledger_transfers_by_account(l, &f, page, 2, &count, &more, &cursor) == PAYCORE_OK);
    seen += count;
    f.cursor = cursor;
    f.has_cursor = true;
  } while (more && seen < 100);
  /* settlement run credit, payout debit, hold principal + fee, their two posts */
  CHECK(seen == 6);
  f.limit = 0;
  CHECK(paycore_ledger_transfers_by_account(l, &f, page, 2, &count, &more, &cursor) == PAYCORE_ERR_INVALID_ARGUMENT);

  /* History: withdrawable accounts keep it; balance as of a time in the past. */
  paycore_ledger_history_row rows[16];
  CHECK(paycore_ledger_account_history(l, f.account_id, rows, 16, &count) == PAYCORE_OK && count == 6);
  paycore_ledger_counters c;
  CHECK(paycore_ledger_balance_as_of(l, f.account_id, rows[1].timestamp, &c) == PAYCORE_OK);
  CHECK(c.credits_posted.lo == 7952 && c.debits_posted.lo == 5000); /* after the payout */
  CHECK(paycore_ledger_balance_as_of(l, f.account_id, 1, &c) == PAYCORE_ERR_LEDGER_BEFORE_CREATION);
  paycore_u128 bank;
  paycore_ledger_chart_account_id(PAYCORE_KIND_SETTLEMENT_BANK, 0, CNY, &bank);
  CHECK(paycore_ledger_account_history(l, bank, rows, 16, &count) == PAYCORE_ERR_LEDGER_HISTORY_NOT_ENABLED);
  CHECK(paycore_ledger_account_balances(l, u(12345), PAYCORE_SIDE_CREDIT, NULL) == PAYCORE_ERR_LEDGER_ACCOUNT_NOT_FOUND);
  paycore_ledger_balances b;
  CHECK(paycore_ledger_account_balances(l, bank, 7, &b) == PAYCORE_ERR_INVALID_ARGUMENT);

  /* Journal: drain it (too small a buffer first), replay it, same state bit for bit. */
  size_t jlen = 0;
  char tiny[4];
  CHECK(paycore_ledger_journal_take(l, tiny, sizeof tiny, &jlen) == PAYCORE_ERR_BUFFER_TOO_SMALL && jlen > 100);
  char *journal = malloc(jlen + 1);
  size_t got = 0;
  CHECK(paycore_ledger_journal_take(l, journal, jlen + 1, &got) == PAYCORE_OK && got == jlen);
  paycore_ledger *replayed = NULL;
  CHECK(paycore_ledger_replay(journal, got, &replayed) == PAYCORE_OK);
  uint64_t d1 = 0, d2 = 1;
  CHECK(paycore_ledger_digest(l, &d1) == PAYCORE_OK && paycore_ledger_digest(replayed, &d2) == PAYCORE_OK);
  CHECK(d1 == d2);
  CHECK(posted(replayed, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 952);
  CHECK(paycore_ledger_journal_take(l, journal, jlen + 1, &got) == PAYCORE_OK && got == 0);
  paycore_ledger_free(replayed);

  /* A malformed journal: the error names the line. */
  const char bad[] = "{\"seq\":0,\"op\":{\"expire_pending\":{\"now\":5}}}\n\n{\"seq\":1,\"op\":{\"nope\"";
  paycore_ledger *none = NULL;
  CHECK(paycore_ledger_replay(bad, sizeof bad - 1, &none) == PAYCORE_ERR_LEDGER_JOURNAL && none == NULL);
  char msg[256];
  size_t mlen = 0;
  CHECK(paycore_last_error_message(msg, sizeof msg, &mlen) == PAYCORE_OK);
  CHECK(strstr(msg, "journal line 3") != NULL);
  const char gap[] = "{\"seq\":4,\"op\":{\"expire_pending\":{\"now\":5}}}\n";
  CHECK(paycore_ledger_replay(gap, sizeof gap - 1, &none) == PAYCORE_ERR_LEDGER_JOURNAL && none == NULL);
  CHECK(paycore_last_error_message(msg, sizeof msg, &mlen) == PAYCORE_OK && strstr(msg, "line 1") != NULL);

  /* Snapshot round trip and a refused snapshot. */
  size_t slen = 0;
  CHECK(paycore_ledger_snapshot_json(l, NULL, 0, &slen) == PAYCORE_ERR_BUFFER_TOO_SMALL);
  char *snap = malloc(slen + 1);
  CHECK(paycore_ledger_snapshot_json(l, snap, slen + 1, &slen) == PAYCORE_OK);
  paycore_ledger *restored = NULL;
  CHECK(paycore_ledger_from_snapshot_json(snap, slen, &restored) == PAYCORE_OK);
  CHECK(paycore_ledger_digest(restored, &d2) == PAYCORE_OK && d1 == d2);
  paycore_ledger_free(restored);
  CHECK(paycore_ledger_from_snapshot_json(S("{\"version\": 9"), &restored) == PAYCORE_ERR_LEDGER_SNAPSHOT);
  free(snap);
  free(journal);

  CHECK(paycore_ledger_create_transfers(NULL, &t, 1, 1, &r) == PAYCORE_ERR_NULL_PARAMETER);
  paycore_ledger_free(l);
  paycore_ledger_free(NULL);
  paycore_withdrawal_free(NULL);
}

static void test_u128_halves(void) {
  /* A merchant id above 2^32 puts bits into the high half of the account id. */
  paycore_u128 id;
  CHECK(paycore_ledger_chart_account_id(PAYCORE_KIND_MERCHANT_WITHDRAWABLE, 42, CNY, &id) == PAYCORE_OK);
  CHECK(id.hi == 42);
  CHECK(id.lo == (((uint64_t)CNY << 32) | (12u << 16) | 1u));
  CHECK(paycore_ledger_chart_account_id(5, 42, CNY, &id) == PAYCORE_ERR_INVALID_ARGUMENT);
}

static void test_two_phase_and_lookups(void) {
  paycore_ledger *l = NULL;
  CHECK(paycore_ledger_new(&l) == PAYCORE_OK);
  create_chart(l);
  /* The rules as data: a sale is 4 linked legs with deterministic ids. */
  paycore_ledger_event e;
  memset(&e, 0, sizeof e);
  e.kind = PAYCORE_EVENT_SUSPENSE_IN;
  e.event_id = 1;
  e.ledger = CNY;
  e.gross = u(5000);
  paycore_ledger_transfer legs[8];
  size_t n = 0;
  CHECK(paycore_ledger_event_transfers(&e, legs, 8, &n) == PAYCORE_OK && n == 1);
  CHECK(legs[0].id.hi == 1 && legs[0].amount.lo == 5000 && legs[0].code == PAYCORE_EVENT_SUSPENSE_IN);
  CHECK(post(l, PAYCORE_EVENT_SUSPENSE_IN, 1, 5000, 0, 0, 0));
  CHECK(post(l, PAYCORE_EVENT_SUSPENSE_TO_MERCHANT, 2, 5000, 0, 0, 0));
  paycore_ledger_transfer stored;
  CHECK(paycore_ledger_transfer_lookup(l, legs[0].id, &stored) == PAYCORE_OK && stored.amount.lo == 5000);
  CHECK(stored.timestamp > 0);
  CHECK(paycore_ledger_transfer_lookup(l, u(424242), &stored) == PAYCORE_ERR_LEDGER_TRANSFER_NOT_FOUND);

  /* A pending hold of 15.00 with a 1 s timeout, released by the caller's clock. */
  paycore_ledger_transfer hold;
  memset(&hold, 0, sizeof hold);
  hold.id = u(77);
  paycore_ledger_chart_account_id(PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT, CNY, &hold.debit_account_id);
  paycore_ledger_chart_account_id(PAYCORE_KIND_SETTLEMENT_BANK, 0, CNY, &hold.credit_account_id);
  hold.amount = u(1500);
  hold.ledger = CNY;
  hold.code = 99;
  hold.flags = PAYCORE_TRANSFER_FLAG_PENDING;
  hold.timeout = 1;
  uint32_t r = 99;
  uint64_t t0 = 0;
  CHECK(paycore_ledger_clock(l, &t0) == PAYCORE_OK && t0 > 0);
  CHECK(paycore_ledger_create_transfers(l, &hold, 1, t0 + 1, &r) == PAYCORE_OK && r == PAYCORE_TRANSFER_CREATED);
  CHECK(available(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 3500);
  size_t expired = 9;
  CHECK(paycore_ledger_expire_pending(l, t0 + 1000000000ull, &expired) == PAYCORE_OK && expired == 0);
  CHECK(paycore_ledger_expire_pending(l, t0 + 1000000001ull, &expired) == PAYCORE_OK && expired == 1);
  CHECK(available(l, PAYCORE_KIND_MERCHANT_WITHDRAWABLE, MERCHANT) == 5000);
  paycore_ledger_transfer post_hold;
  memset(&post_hold, 0, sizeof post_hold);
  post_hold.id = u(78);
  post_hold.pending_id = u(77);
  post_hold.amount = u(1500);
  post_hold.flags = PAYCORE_TRANSFER_FLAG_POST_PENDING;
  CHECK(paycore_ledger_create_transfers(l, &post_hold, 1, t0 + 1000000002ull, &r) == PAYCORE_OK);
  CHECK(r == PAYCORE_TRANSFER_PENDING_TRANSFER_EXPIRED);
  paycore_ledger_account acct;
  CHECK(paycore_ledger_account_lookup(l, hold.debit_account_id, &acct) == PAYCORE_OK);
  CHECK(acct.code == PAYCORE_KIND_MERCHANT_WITHDRAWABLE && acct.credits_posted.lo == 5000 && acct.debits_pending.lo == 0);
  CHECK((acct.flags & PAYCORE_ACCOUNT_FLAG_HISTORY) != 0);
  CHECK(paycore_ledger_check_invariants(l) == PAYCORE_OK);
  paycore_ledger_free(l);
}

int main(void) {
  test_doc_example();
  test_u128_halves();
  test_two_phase_and_lookups();
  return finish("c ledger");
}
