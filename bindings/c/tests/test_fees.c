/* Fees, calendars and settlement through the C API, with the worked values of the core's
 * tests (core/tests/fees.rs, settlement_dates.rs, settlement_run.rs) on the example files
 * examples/data/fee-schedule.json and transactions.csv (run from the repository root). */
#include "check.h"
#include "paycore.h"
#include <stdlib.h>

#define CNY 156u

static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *buf = malloc((size_t)n + 1);
  if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) { free(buf); buf = NULL; }
  fclose(f);
  if (buf) { buf[n] = 0; *len = (size_t)n; }
  return buf;
}

static const char *last_error(void) {
  static char msg[1024];
  size_t n = 0;
  if (paycore_last_error_message(msg, sizeof msg, &n) != PAYCORE_OK) return "";
  return msg;
}

static paycore_date day(int32_t y, uint32_t m, uint32_t d) {
  paycore_date v = {y, m, d};
  return v;
}

static int same_day(paycore_date a, int32_t y, uint32_t m, uint32_t d) {
  return a.year == y && a.month == m && a.day == d;
}

static paycore_fee_input input(int64_t amount, uint32_t card, uint32_t channel) {
  paycore_fee_input in;
  memset(&in, 0, sizeof in);
  in.amount_minor = amount;
  in.currency = CNY;
  in.card_type = card;
  in.channel = channel;
  in.merchant_type = PAYCORE_MERCHANT_STANDARD;
  return in;
}

static void test_quotes(const paycore_fee_schedule *s) {
  uint16_t currency = 0;
  CHECK(paycore_fee_schedule_currency(s, &currency) == PAYCORE_OK && currency == CNY);

  /* 10 000.00 debit chip: MDR 0.6 % capped at 20.00; issuer 0.35 % capped at 13.00; network
   * 0.0325 % = 3.25; margin 3.75; agents 1.60 / 1.40 / 0.50 (ratios 0.8 / 1 / 1). */
  paycore_fee_input debit = input(1000000, PAYCORE_CARD_DEBIT, PAYCORE_CHANNEL_CHIP);
  paycore_fee_breakdown q;
  memset(&q, 0xAB, sizeof q);
  CHECK(paycore_fee_quote(s, &debit, NULL, 0, &q) == PAYCORE_OK);
  CHECK(q.amount_minor == 1000000);
  CHECK(q.merchant_fee_minor == 2000);
  CHECK(q.issuer_fee_minor == 1300);
  CHECK(q.network_fee_minor == 325);
  CHECK(q.brand_fee_minor == 0);
  CHECK(q.cost_total_minor == 1625);
  CHECK(q.margin_minor == 375);
  CHECK(q.agent_levels == 3);
  CHECK(q.agent_profit_minor == 350);
  CHECK(q.acquirer_share_minor == 25);
  CHECK(q.merchant_fee_minor == q.cost_total_minor + q.agent_profit_minor + q.acquirer_share_minor);

  paycore_fee_agent_share shares[4];
  size_t n = 0;
  CHECK(paycore_fee_agent_shares(s, &debit, NULL, 0, shares, 4, &n) == PAYCORE_OK && n == 3);
  CHECK(shares[0].level == 1 && shares[0].cost_minor == 1800 && shares[0].profit_minor == 160);
  CHECK(shares[1].level == 2 && shares[1].cost_minor == 1700 && shares[1].profit_minor == 140);
  CHECK(shares[2].level == 3 && shares[2].cost_minor == 1650 && shares[2].profit_minor == 50);
  n = 0;
  CHECK(paycore_fee_agent_shares(s, &debit, NULL, 0, shares, 2, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL);
  CHECK(n == 3);

  /* Starting lower in the tree: only two levels share. */
  CHECK(paycore_fee_quote(s, &debit, S("agent-pudong"), &q) == PAYCORE_OK);
  CHECK(q.agent_levels == 2 && q.agent_profit_minor == 350);

  /* Credit: uncapped MDR 60.00, issuer 0.45 % = 45.00; agent profits stay within the margin. */
  paycore_fee_input credit = input(1000000, PAYCORE_CARD_CREDIT, PAYCORE_CHANNEL_CHIP);
  CHECK(paycore_fee_quote(s, &credit, NULL, 0, &q) == PAYCORE_OK);
  CHECK(q.merchant_fee_minor == 6000 && q.issuer_fee_minor == 4500 && q.network_fee_minor == 325);
  CHECK(q.agent_profit_minor <= q.margin_minor && q.acquirer_share_minor >= 0);

  /* Small amount: issuer 0.35, network 0.0325 → 0.03 (half up). */
  paycore_fee_input small = input(10000, PAYCORE_CARD_DEBIT, PAYCORE_CHANNEL_CHIP);
  CHECK(paycore_fee_quote(s, &small, NULL, 0, &q) == PAYCORE_OK);
  CHECK(q.issuer_fee_minor == 35 && q.network_fee_minor == 3);

  /* The JSON report names the rule and the agents. */
  char json[2048];
  size_t len = 0;
  CHECK(paycore_fee_quote_json(s, &debit, NULL, 0, json, sizeof json, &len) == PAYCORE_OK);
  CHECK(len == strlen(json));
  CHECK(strstr(json, "\"merchant_rule\":\"debit-card\"") != NULL);
  CHECK(strstr(json, "\"merchant_fee\":\"20.00\"") != NULL);
  CHECK(strstr(json, "\"agent\":\"agent-lujiazui\"") != NULL);
  CHECK(strstr(json, "\"issuer\":\"13.00\"") != NULL);
  len = 0;
  CHECK(paycore_fee_quote_json(s, &debit, NULL, 0, json, 10, &len) == PAYCORE_ERR_BUFFER_TOO_SMALL);
  CHECK(len > 10);

  /* Bad inputs: enum out of range, wrong currency, unknown agent, negative amount. */
  paycore_fee_input bad = debit;
  bad.card_type = 9;
  memset(&q, 0xAB, sizeof q);
  CHECK(paycore_fee_quote(s, &bad, NULL, 0, &q) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(strstr(last_error(), "card type 9") != NULL);
  CHECK(q.merchant_fee_minor == (int64_t)0xABABABABABABABABull); /* untouched on failure */
  bad = debit;
  bad.channel = 5;
  CHECK(paycore_fee_quote(s, &bad, NULL, 0, &q) == PAYCORE_ERR_INVALID_ARGUMENT);
  bad = debit;
  bad.currency = 840;
  CHECK(paycore_fee_quote(s, &bad, NULL, 0, &q) == PAYCORE_ERR_CURRENCY_MISMATCH);
  CHECK(paycore_fee_quote(s, &debit, S("nobody"), &q) == PAYCORE_ERR_FEE_UNKNOWN_AGENT);
  bad = debit;
  bad.amount_minor = -1;
  CHECK(paycore_fee_quote(s, &bad, NULL, 0, &q) == PAYCORE_ERR_FEE_NEGATIVE_AMOUNT);
  CHECK(paycore_fee_quote(NULL, &debit, NULL, 0, &q) == PAYCORE_ERR_NULL_PARAMETER);
}

static void test_refunds_and_d0(const paycore_fee_schedule *s) {
  /* Pro rata, remaining-fee method: 100.00 sale with fee 0.60 refunded in thirds. */
  paycore_refund_fees a, b, c;
  CHECK(paycore_fee_refund(s, 10000, 60, 0, 3333, &a) == PAYCORE_OK);
  CHECK(paycore_fee_refund(s, 10000, 60, 3333, 3333, &b) == PAYCORE_OK);
  CHECK(paycore_fee_refund(s, 10000, 60, 6666, 3334, &c) == PAYCORE_OK);
  CHECK(a.returned_minor == 20 && b.returned_minor == 20 && c.returned_minor == 20);
  CHECK(a.returned_minor + b.returned_minor + c.returned_minor == 60);
  CHECK(c.kept_minor == 0);
  /* 250.00 credit sale with fee 1.50, 50.00 refunded: 0.30 returned (settlement example). */
  CHECK(paycore_fee_refund(s, 25000, 150, 0, 5000, &a) == PAYCORE_OK);
  CHECK(a.returned_minor == 30 && a.kept_minor == 120);
  CHECK(paycore_fee_refund(s, 10000, 60, 9000, 1001, &a) == PAYCORE_ERR_FEE_REFUND_EXCEEDS);

  /* D0: 5 000.00 of a 10 000.00 balance at 10:00 Beijing: 0.05 % = 2.50 + 3.00 per payout. */
  paycore_d0_request r = {1000000, 500000, true, 0};
  paycore_d0_quote d;
  CHECK(paycore_fee_d0_quote(s, &r, S("2026-03-10T10:00:00+08:00"), &d) == PAYCORE_OK);
  CHECK(d.advanced_minor == 500000 && d.rate_fee_minor == 250 && d.fixed_fee_minor == 300);
  CHECK(d.fee_minor == 550 && d.net_paid_minor == 499450 && d.remaining_balance_minor == 500000);
  r.has_requested = false; /* as much as allowed: 90 % of the balance */
  CHECK(paycore_fee_d0_quote(s, &r, S("2026-03-10T10:00:00+08:00"), &d) == PAYCORE_OK);
  CHECK(d.advanced_minor == 900000);
  r.has_requested = true;
  CHECK(paycore_fee_d0_quote(s, &r, S("2026-03-10T22:30:00+08:00"), &d) == PAYCORE_ERR_D0_REFUSED);
  CHECK(strstr(last_error(), "window") != NULL);
  /* 23:30 UTC is 07:30 Beijing: inside the window. */
  CHECK(paycore_fee_d0_quote(s, &r, S("2026-03-09T23:30:00Z"), &d) == PAYCORE_OK);
  r.requested_minor = 5000; /* below the 100.00 minimum */
  CHECK(paycore_fee_d0_quote(s, &r, S("2026-03-10T10:00:00+08:00"), &d) == PAYCORE_ERR_D0_REFUSED);
  r.requested_minor = 500000;
  CHECK(paycore_fee_d0_quote(s, &r, S("2026-03-10T10:00:00"), &d) == PAYCORE_ERR_SETTLEMENT_TIME);
}

static void test_schedule_documents(void) {
  paycore_fee_schedule *s = NULL;
  /* A bare merchant schedule in TOML (priced against the 2016 China costs). */
  const char toml[] =
      "name = \"toml\"\ncurrency = \"CNY\"\nrefund_policy = \"pro_rata\"\n"
      "[[rules]]\nid = \"all\"\nfee = { shape = \"percentage\", rate = \"0.006\" }\ncap = \"20.00\"\n";
  CHECK(paycore_fee_schedule_from_toml(S(toml), &s) == PAYCORE_OK);
  paycore_fee_input in = input(750, PAYCORE_CARD_DEBIT, PAYCORE_CHANNEL_SWIPE);
  paycore_fee_breakdown q;
  CHECK(paycore_fee_quote(s, &in, NULL, 0, &q) == PAYCORE_OK);
  CHECK(q.merchant_fee_minor == 5); /* 7.50 × 0.6 % = 4.5 fen → 5 (half up) */
  CHECK(q.agent_levels == 0 && q.acquirer_share_minor == q.margin_minor);
  in.amount_minor = 333249; /* 1999.494 fen → 19.99 */
  CHECK(paycore_fee_quote(s, &in, NULL, 0, &q) == PAYCORE_OK && q.merchant_fee_minor == 1999);
  in.amount_minor = 1000000;
  CHECK(paycore_fee_quote(s, &in, NULL, 0, &q) == PAYCORE_OK && q.merchant_fee_minor == 2000);
  paycore_d0_request r = {1000000, 0, false, 0};
  paycore_d0_quote d;
  CHECK(paycore_fee_d0_quote(s, &r, S("2026-03-10T10:00:00+08:00"), &d) ==
        PAYCORE_ERR_D0_NOT_CONFIGURED);
  paycore_fee_schedule_free(s);

  /* Bad documents: the message says where. */
  s = (paycore_fee_schedule *)0x1;
  const char typo[] = "{\"currency\": \"CNY\",\n \"rules\": [{\"id\": \"a\", \"card_types\": [\"gold\"],\n"
                      " \"fee\": {\"shape\": \"fixed\", \"amount\": \"1\"}}]}";
  CHECK(paycore_fee_schedule_from_json(S(typo), &s) == PAYCORE_ERR_FEE_SCHEDULE);
  CHECK(strstr(last_error(), "line 2") != NULL);
  CHECK(strstr(last_error(), "gold") != NULL);
  CHECK(s == (paycore_fee_schedule *)0x1); /* out untouched */
  const char rate[] = "{\"currency\": \"CNY\", \"rules\": [{\"id\": \"r1\", "
                      "\"fee\": {\"shape\": \"percentage\", \"rate\": \"1.5\"}}]}";
  CHECK(paycore_fee_schedule_from_json(S(rate), &s) == PAYCORE_ERR_FEE_SCHEDULE);
  CHECK(strstr(last_error(), "r1") != NULL && strstr(last_error(), "rate") != NULL);
  CHECK(paycore_fee_schedule_from_json(S("{\"currency\": \"XXQ\", \"rules\": []}"), &s) ==
        PAYCORE_ERR_FEE_SCHEDULE);
  CHECK(paycore_fee_schedule_from_json(S("not json"), &s) == PAYCORE_ERR_FEE_SCHEDULE);
  paycore_fee_schedule_free(NULL);
}

static void test_calendar(void) {
  paycore_calendar *cal = NULL;
  CHECK(paycore_calendar_china(PAYCORE_UNCOVERED_REFUSE, PAYCORE_DECEMBER_PROVISIONAL, &cal) == PAYCORE_OK);
  char version[128];
  size_t len = 0;
  CHECK(paycore_calendar_version(cal, version, sizeof version, &len) == PAYCORE_OK && len > 0);
  int32_t years[64];
  size_t n = 0;
  CHECK(paycore_calendar_covered_years(cal, years, 64, &n) == PAYCORE_OK);
  CHECK(n >= 20 && years[0] == 2007 && years[n - 1] == 2026);
  CHECK(paycore_calendar_covered_years(cal, years, 2, &n) == PAYCORE_ERR_BUFFER_TOO_SMALL && n >= 20);

  /* Spring Festival 2026: Saturday 14 Feb is a make-up working day; 15–23 Feb are off. */
  bool working = false;
  CHECK(paycore_calendar_is_working_day(cal, day(2026, 2, 14), &working) == PAYCORE_OK && working);
  for (uint32_t d = 15; d <= 23; d++) {
    working = true;
    CHECK(paycore_calendar_is_working_day(cal, day(2026, 2, d), &working) == PAYCORE_OK && !working);
  }
  paycore_date out;
  CHECK(paycore_calendar_add_working_days(cal, day(2026, 2, 14), 1, &out) == PAYCORE_OK);
  CHECK(same_day(out, 2026, 2, 24));
  CHECK(paycore_calendar_working_day_on_or_after(cal, day(2026, 2, 15), &out) == PAYCORE_OK);
  CHECK(same_day(out, 2026, 2, 24));
  uint32_t count = 0;
  CHECK(paycore_calendar_working_days_between(cal, day(2026, 2, 13), day(2026, 2, 25), &count) == PAYCORE_OK);
  CHECK(count == 3);
  /* National Day 2026: Sunday 20 Sep is a make-up working day; 1–7 Oct off. */
  CHECK(paycore_calendar_is_working_day(cal, day(2026, 9, 20), &working) == PAYCORE_OK && working);
  CHECK(paycore_calendar_add_working_days(cal, day(2026, 9, 30), 1, &out) == PAYCORE_OK);
  CHECK(same_day(out, 2026, 10, 8));
  bool provisional = false;
  CHECK(paycore_calendar_is_provisional(cal, day(2026, 12, 31), &provisional) == PAYCORE_OK && provisional);

  /* Fail closed: 2027 has no notice yet. */
  CHECK(paycore_calendar_is_working_day(cal, day(2027, 3, 1), &working) == PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED);
  CHECK(strstr(last_error(), "2027") != NULL);
  CHECK(paycore_calendar_is_working_day(cal, day(2026, 2, 30), &working) == PAYCORE_ERR_INVALID_DATE);

  /* Overrides: a bank that pays on 16 Feb, a closure on 2 Mar. */
  paycore_day_override o[2] = {{{2026, 2, 16}, PAYCORE_DAY_WORKING}, {{2026, 3, 2}, PAYCORE_DAY_CLOSED}};
  paycore_calendar *acq = NULL;
  CHECK(paycore_calendar_with_overrides(cal, S("acq1"), o, 2, &acq) == PAYCORE_OK);
  CHECK(paycore_calendar_is_working_day(acq, day(2026, 2, 16), &working) == PAYCORE_OK && working);
  CHECK(paycore_calendar_is_working_day(acq, day(2026, 3, 2), &working) == PAYCORE_OK && !working);
  char v2[128];
  CHECK(paycore_calendar_version(acq, v2, sizeof v2, &len) == PAYCORE_OK);
  CHECK(strncmp(v2, version, strlen(version)) == 0 && strcmp(v2 + strlen(version), "+acq1") == 0);
  paycore_calendar_free(acq);
  paycore_day_override clash[2] = {{{2026, 3, 2}, PAYCORE_DAY_CLOSED}, {{2026, 3, 2}, PAYCORE_DAY_WORKING}};
  CHECK(paycore_calendar_with_overrides(cal, S("x"), clash, 2, &acq) == PAYCORE_ERR_CALENDAR);
  clash[1].kind = 7;
  CHECK(paycore_calendar_with_overrides(cal, S("x"), clash, 2, &acq) == PAYCORE_ERR_INVALID_ARGUMENT);
  paycore_calendar_free(cal);

  /* Weekday fallback is an explicit opt-in. */
  CHECK(paycore_calendar_china(PAYCORE_UNCOVERED_WEEKDAY_FALLBACK, PAYCORE_DECEMBER_REFUSE, &cal) == PAYCORE_OK);
  CHECK(paycore_calendar_is_working_day(cal, day(2027, 3, 1), &working) == PAYCORE_OK && working);
  CHECK(paycore_calendar_is_working_day(cal, day(2027, 3, 6), &working) == PAYCORE_OK && !working);
  CHECK(paycore_calendar_is_working_day(cal, day(2026, 12, 31), &working) == PAYCORE_ERR_CALENDAR_PROVISIONAL);
  paycore_calendar_free(cal);
  CHECK(paycore_calendar_china(2, 0, &cal) == PAYCORE_ERR_INVALID_ARGUMENT);
  CHECK(paycore_calendar_weekdays_only(S("HK"), &cal) == PAYCORE_OK);
  CHECK(paycore_calendar_is_working_day(cal, day(2031, 1, 1), &working) == PAYCORE_OK && working);
  paycore_calendar_free(cal);
}

static void test_settlement_dates(void) {
  paycore_calendar *cal = NULL;
  CHECK(paycore_calendar_china(0, 0, &cal) == PAYCORE_OK);
  paycore_payout_dates d;
  /* Friday 13 Feb 2026 23:30 Beijing: past the 23:00 cut-off → network day Saturday 14
   * (make-up working day) → T1 = Tuesday 24 Feb, after the Spring Festival. */
  CHECK(paycore_settlement_dates(cal, S("2026-02-13T23:30:00+08:00"), S("T1"), NULL, &d) == PAYCORE_OK);
  CHECK(same_day(d.local_date, 2026, 2, 13));
  CHECK(same_day(d.network_day, 2026, 2, 14));
  CHECK(same_day(d.payout_day, 2026, 2, 24));
  CHECK(!d.provisional);
  /* Before the cut-off: T1 = Saturday 14 Feb (make-up working day). */
  CHECK(paycore_settlement_dates(cal, S("2026-02-13T10:00:00+08:00"), S("T+1"), NULL, &d) == PAYCORE_OK);
  CHECK(same_day(d.payout_day, 2026, 2, 14));
  /* 22:59:59 vs 23:00:00 Beijing, and 15:30 UTC = 23:30 Beijing. */
  CHECK(paycore_settlement_dates(cal, S("2026-03-10T22:59:59+08:00"), S("T0"), NULL, &d) == PAYCORE_OK);
  CHECK(same_day(d.network_day, 2026, 3, 10));
  CHECK(paycore_settlement_dates(cal, S("2026-03-10T23:00:00+08:00"), S("T0"), NULL, &d) == PAYCORE_OK);
  CHECK(same_day(d.network_day, 2026, 3, 11));
  CHECK(paycore_settlement_dates(cal, S("2026-03-10T15:30:00Z"), S("T0"), NULL, &d) == PAYCORE_OK);
  CHECK(same_day(d.network_day, 2026, 3, 11));
  /* A midnight cut-off keeps 23:30 on the same day. */
  paycore_cutoff midnight = {8 * 3600, 0, 0};
  CHECK(paycore_settlement_dates(cal, S("2026-03-10T23:30:00+08:00"), S("T0"), &midnight, &d) == PAYCORE_OK);
  CHECK(same_day(d.network_day, 2026, 3, 10));
  /* National Day: T1 of 30 Sep 2026 is 8 Oct; D1 of Sunday 15 Feb is Monday 16 Feb. */
  CHECK(paycore_settlement_dates(cal, S("2026-09-30T12:00:00+08:00"), S("T1"), NULL, &d) == PAYCORE_OK);
  CHECK(same_day(d.payout_day, 2026, 10, 8));
  CHECK(paycore_settlement_dates(cal, S("2026-02-15T10:00:00+08:00"), S("D1"), NULL, &d) == PAYCORE_OK);
  CHECK(same_day(d.payout_day, 2026, 2, 16));

  /* Errors. */
  CHECK(paycore_settlement_dates(cal, S("2026-02-13T23:30:00"), S("T1"), NULL, &d) == PAYCORE_ERR_SETTLEMENT_TIME);
  CHECK(strstr(last_error(), "no UTC offset") != NULL);
  CHECK(paycore_settlement_dates(cal, S("2026-02-13T23:30:00+08:00"), S("X1"), NULL, &d) == PAYCORE_ERR_SETTLEMENT_CYCLE);
  CHECK(paycore_settlement_dates(cal, S("2026-02-13T23:30:00+08:00"), S("W0"), NULL, &d) == PAYCORE_ERR_SETTLEMENT_CYCLE);
  paycore_cutoff bad = {8 * 3600, 24, 0};
  CHECK(paycore_settlement_dates(cal, S("2026-02-13T23:30:00+08:00"), S("T1"), &bad, &d) == PAYCORE_ERR_SETTLEMENT_CUTOFF);
  CHECK(paycore_settlement_dates(cal, S("2027-05-06T10:00:00+08:00"), S("T1"), NULL, &d) ==
        PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED);
  paycore_calendar_free(cal);
}

static void test_settlement_run(const paycore_fee_schedule *s) {
  paycore_calendar *cal = NULL;
  CHECK(paycore_calendar_china(0, 0, &cal) == PAYCORE_OK);
  size_t csv_len = 0;
  char *csv = read_file("examples/data/transactions.csv", &csv_len);
  CHECK(csv != NULL);
  if (!csv) return;
  size_t need = 0;
  CHECK(paycore_settlement_run_json(s, cal, csv, csv_len, NULL, 0, NULL, 0, &need) == PAYCORE_ERR_BUFFER_TOO_SMALL);
  CHECK(need > 100);
  char *json = malloc(need + 1);
  size_t len = 0;
  CHECK(paycore_settlement_run_json(s, cal, csv, csv_len, NULL, 0, json, need + 1, &len) == PAYCORE_OK);
  CHECK(len == need && json[len] == 0);
  CHECK(strstr(json, "\"batch_id\":\"898310048161234.CNY.20260213\"") != NULL);
  CHECK(strstr(json, "\"batch_id\":\"898310048161234.CNY.20260224\"") != NULL);
  CHECK(strstr(json, "\"batch_id\":\"898310048165678.CNY.20260214\"") != NULL);
  CHECK(strstr(json, "\"batch_id\":\"898310048169999.CNY.20260214\"") != NULL);
  /* First batch: fees 20.00 + 1.50 + 0.34; pro-rata refunded fees 0.30 + 0.60; 5 % reserve
   * rounded down; terminal rental 15.00. */
  CHECK(strstr(json, "\"fees_minor\":2184") != NULL);
  CHECK(strstr(json, "\"refunded_fees_minor\":90") != NULL);
  CHECK(strstr(json, "\"reserve_withheld_minor\":51692") != NULL);
  CHECK(strstr(json, "\"periodic_fees_minor\":1500") != NULL);
  /* The carried state feeds the next run. */
  const char *state = strstr(json, "\"state\":");
  CHECK(state != NULL);
  if (state) {
    state += strlen("\"state\":");
    size_t state_len = strlen(state) - 1; /* drop the closing brace of the run */
    const char next_csv[] =
        "id,merchant_id,kind,amount,currency,time,card,channel\n"
        "N1,898310048169999,sale,100.00,CNY,2026-02-24T10:00:00+08:00,debit,chip\n";
    size_t n2 = 0;
    char out2[4096];
    CHECK(paycore_settlement_run_json(s, cal, S(next_csv), state, state_len, out2, sizeof out2, &n2) == PAYCORE_OK);
    CHECK(strstr(out2, "\"kind\":\"carried_in\"") != NULL);
  }
  free(json);
  free(csv);

  /* Errors: the CSV line and column, a record in an uncovered year, bad state. */
  char buf[256];
  size_t n = 0;
  const char bad_csv[] = "id,merchant_id,kind,amount,currency,time,card,channel\n"
                         "A1,m1,sale,12.345,CNY,2026-02-12T10:00:00+08:00,debit,chip\n";
  CHECK(paycore_settlement_run_json(s, cal, S(bad_csv), NULL, 0, buf, sizeof buf, &n) == PAYCORE_ERR_SETTLEMENT_CSV);
  CHECK(strstr(last_error(), "line 2") != NULL && strstr(last_error(), "amount") != NULL);
  const char late_csv[] = "id,merchant_id,kind,amount,currency,time,card,channel\n"
                          "A1,m1,sale,12.00,CNY,2027-06-01T10:00:00+08:00,debit,chip\n";
  CHECK(paycore_settlement_run_json(s, cal, S(late_csv), NULL, 0, buf, sizeof buf, &n) ==
        PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED);
  CHECK(strstr(last_error(), "A1") != NULL);
  const char dup_csv[] = "id,merchant_id,kind,amount,currency,time,card,channel\n"
                         "A1,m1,sale,12.00,CNY,2026-06-01T10:00:00+08:00,debit,chip\n"
                         "A1,m1,sale,13.00,CNY,2026-06-01T11:00:00+08:00,debit,chip\n";
  CHECK(paycore_settlement_run_json(s, cal, S(dup_csv), NULL, 0, buf, sizeof buf, &n) == PAYCORE_ERR_SETTLEMENT_RECORD);
  CHECK(paycore_settlement_run_json(s, cal, S(dup_csv), S("{oops"), buf, sizeof buf, &n) == PAYCORE_ERR_SETTLEMENT_STATE);
  paycore_calendar_free(cal);
}

int main(void) {
  size_t len = 0;
  char *doc = read_file("examples/data/fee-schedule.json", &len);
  CHECK(doc != NULL);
  if (!doc) return finish("c fees");
  paycore_fee_schedule *s = NULL;
  CHECK(paycore_fee_schedule_from_json(doc, len, &s) == PAYCORE_OK);
  free(doc);
  if (s) {
    test_quotes(s);
    test_refunds_and_d0(s);
    test_settlement_run(s);
  }
  paycore_fee_schedule_free(s);
  test_schedule_documents();
  test_calendar();
  test_settlement_dates();

  char desc[128];
  CHECK(paycore_result_description(PAYCORE_ERR_CALENDAR_YEAR_NOT_COVERED, desc, sizeof desc, &len) == PAYCORE_OK);
  CHECK_STR(desc, len, "year not covered by the calendar");
  return finish("c fees");
}
