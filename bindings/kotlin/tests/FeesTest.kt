package io.paycore.tests

import io.paycore.*
import io.paycore.tests.Harness.check
import io.paycore.tests.Harness.eq
import io.paycore.tests.Harness.throws
import java.io.File
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter

// Fees, calendars and settlement with the worked values of the core's tests
// (core/tests/fees.rs, settlement_dates.rs, settlement_run.rs) on examples/data/.
object FeesTest {
    private fun cny(minor: Long) = Money(minor, "CNY")

    private fun input(minor: Long, card: CardType, channel: Channel = Channel.CHIP) =
        FeeInput(cny(minor), card, channel, MerchantType.STANDARD, 0L)

    private fun beijing(y: Int, mo: Int, d: Int, h: Int, mi: Int): String =
        OffsetDateTime.of(y, mo, d, h, mi, 0, 0, ZoneOffset.ofHours(8))
            .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)

    fun run() {
        val schedule = FeeSchedule.fromJson(File("examples/data/fee-schedule.json").readText())
        eq("currency", schedule.currency(), "CNY")
        eq("name", schedule.name(), "POS standard 2026")
        quotes(schedule)
        refundsAndD0(schedule)
        calendar()
        settlementDates()
        settlementRun(schedule)
        badInputs(schedule)
    }

    private fun quotes(schedule: FeeSchedule) {
        // 10 000.00 debit: MDR 0.6 % capped at 20.00; issuer 0.35 % capped at 13.00.
        val q = schedule.quote(input(1_000_000, CardType.DEBIT), null)
        eq("merchant fee cap", q.merchantFee, cny(2_000))
        eq("merchant rule", q.merchantRule, "debit-card")
        eq("issuer fee cap 13.00", q.issuerFee, cny(1_300))
        eq("network fee", q.networkFee, cny(325))
        eq("cost total", q.costTotal, cny(1_625))
        eq("margin", q.margin, cny(375))
        eq("agent levels", q.agents.map { Triple(it.level.toInt(), it.cost.minor, it.profit.minor) },
            listOf(Triple(1, 1_800L, 160L), Triple(2, 1_700L, 140L), Triple(3, 1_650L, 50L)))
        eq("direct agent", q.agents[0].agent, "agent-lujiazui")
        eq("acquirer share", q.acquirerShare, cny(25))
        val agentSum = q.agents.sumOf { it.profit.minor }
        check("agents within margin", agentSum <= q.margin.minor)
        eq("fee adds up", q.costTotal.minor + agentSum + q.acquirerShare.minor, q.merchantFee.minor)
        check("report json", q.reportJson.contains("\"merchant_fee\":\"20.00\""))

        val credit = schedule.quote(input(1_000_000, CardType.CREDIT), null)
        eq("credit MDR uncapped", credit.merchantFee, cny(6_000))
        eq("credit issuer", credit.issuerFee, cny(4_500))
        check("credit agents within margin", credit.agents.sumOf { it.profit.minor } <= credit.margin.minor)

        val pudong = schedule.quote(input(1_000_000, CardType.DEBIT), "agent-pudong")
        eq("chain from pudong", pudong.agents.map { it.agent }, listOf("agent-pudong", "branch-sh"))

        // QuickPass 88.50 × 0.38 % = 0.3363 → 0.34.
        eq("quickpass", schedule.quote(input(8_850, CardType.DEBIT, Channel.CONTACTLESS), null).merchantFee, cny(34))
    }

    private fun refundsAndD0(schedule: FeeSchedule) {
        // 100.00 sale with fee 0.60 refunded as 33.33 + 33.33 + 33.34: 0.20 each, no drift.
        val a = schedule.refundFee(cny(10_000), cny(60), cny(0), cny(3_333))
        val b = schedule.refundFee(cny(10_000), cny(60), cny(3_333), cny(3_333))
        val c = schedule.refundFee(cny(10_000), cny(60), cny(6_666), cny(3_334))
        eq("thirds", listOf(a.returned.minor, b.returned.minor, c.returned.minor), listOf(20L, 20L, 20L))
        eq("whole fee returned", a.returned.minor + b.returned.minor + c.returned.minor, 60L)
        eq("nothing kept", c.kept, cny(0))
        throws<PaycoreException.FeeRefundExceeds>("refund too large") {
            schedule.refundFee(cny(10_000), cny(60), cny(9_000), cny(1_001))
        }

        val d0 = schedule.d0Quote(cny(1_000_000), cny(500_000), cny(0), beijing(2026, 3, 10, 10, 0))
        eq("d0 fee", Triple(d0.rateFee.minor, d0.fixedFee.minor, d0.fee.minor), Triple(250L, 300L, 550L))
        eq("d0 net", d0.netPaid, cny(499_450))
        eq("d0 max", schedule.d0Quote(cny(1_000_000), null, cny(0), beijing(2026, 3, 10, 10, 0)).advanced, cny(900_000))
        throws<PaycoreException.D0Refused>("d0 after window") {
            schedule.d0Quote(cny(1_000_000), cny(500_000), cny(0), beijing(2026, 3, 10, 22, 30))
        }
    }

    private fun calendar() {
        val cal = BusinessCalendar.china(UncoveredYears.REFUSE, DecemberPolicy.PROVISIONAL)
        eq("version", cal.version(), chinaCalendarVersion())
        check("covers 2026", cal.coveredYears().contains(2026))
        // Spring Festival 2026: Saturday 14 Feb works; 15–23 Feb off.
        check("make-up Saturday", cal.isWorkingDay(LocalDate.of(2026, 2, 14).toString()))
        check("holiday off", (15..23).none { cal.isWorkingDay(LocalDate.of(2026, 2, it).toString()) })
        eq("T+1 across the holiday", LocalDate.parse(cal.addWorkingDays("2026-02-14", 1u)), LocalDate.of(2026, 2, 24))
        eq("on or after", cal.workingDayOnOrAfter("2026-02-15"), "2026-02-24")
        eq("between", cal.workingDaysBetween("2026-02-13", "2026-02-25"), 3u)
        // National Day 2026: Sunday 20 Sep is a make-up working day.
        check("national day make-up", cal.isWorkingDay("2026-09-20"))
        eq("after national day", cal.addWorkingDays("2026-09-30", 1u), "2026-10-08")
        check("provisional december", cal.isProvisional("2026-12-31"))
        val e = throws<PaycoreException.CalendarYearNotCovered>("2027 fails closed") { cal.isWorkingDay("2027-03-01") }
        check("message names the year", e?.message?.contains("2027") == true)
        val open = BusinessCalendar.china(UncoveredYears.WEEKDAY_FALLBACK, DecemberPolicy.PROVISIONAL)
        check("fallback monday", open.isWorkingDay("2027-03-01"))
        check("fallback saturday", !open.isWorkingDay("2027-03-06"))
        val acq = cal.withOverrides("acq1", listOf(
            DayOverride("2026-02-16", DayKind.WORKING, "holiday payout"),
            DayOverride("2026-03-02", DayKind.CLOSED, "migration")))
        check("override working", acq.isWorkingDay("2026-02-16"))
        check("override closed", !acq.isWorkingDay("2026-03-02"))
        eq("override version", acq.version(), chinaCalendarVersion() + "+acq1")
        throws<PaycoreException.InvalidDate>("bad date") { cal.isWorkingDay("2026-02-30") }
    }

    private fun settlementDates() {
        val cal = BusinessCalendar.china(UncoveredYears.REFUSE, DecemberPolicy.PROVISIONAL)
        // 23:30 Friday 13 Feb: past the 23:00 cut-off → Saturday 14 (works) → T1 = 24 Feb.
        val late = settlementDates(cal, beijing(2026, 2, 13, 23, 30), "T1", null)
        eq("network day", late.networkDay, "2026-02-14")
        eq("payout day", late.payoutDay, "2026-02-24")
        eq("cycle", late.cycle, "T1")
        eq("before cut-off", settlementDates(cal, beijing(2026, 2, 13, 22, 59), "T1", null).payoutDay, "2026-02-14")
        eq("15:30 UTC is 23:30 Beijing", settlementDates(cal, "2026-03-10T15:30:00Z", "T0", null).networkDay, "2026-03-11")
        eq("midnight cut-off", settlementDates(cal, beijing(2026, 3, 10, 23, 30), "T0", Cutoff(28_800, 0u, 0u)).networkDay, "2026-03-10")
        throws<PaycoreException.SettlementTime>("no offset") { settlementDates(cal, "2026-02-13T23:30:00", "T1", null) }
        throws<PaycoreException.SettlementCycle>("bad cycle") { settlementDates(cal, beijing(2026, 2, 13, 10, 0), "X1", null) }
        throws<PaycoreException.CalendarYearNotCovered>("uncovered payout") {
            settlementDates(cal, beijing(2027, 5, 6, 10, 0), "T1", null)
        }
    }

    private fun settlementRun(schedule: FeeSchedule) {
        val cal = BusinessCalendar.china(UncoveredYears.REFUSE, DecemberPolicy.PROVISIONAL)
        val run = schedule.settle(cal, File("examples/data/transactions.csv").readText(), null)
        eq("batch ids", run.batches.map { it.batchId }, listOf(
            "898310048161234.CNY.20260213", "898310048161234.CNY.20260224",
            "898310048165678.CNY.20260214", "898310048169999.CNY.20260214"))
        val b = run.batches[0]
        eq("fees", b.totals.fees, cny(2_000 + 150 + 34))
        eq("refunded fees", b.totals.refundedFees, cny(30 + 60))
        eq("reserve", b.totals.reserveWithheld, cny(1_033_850L * 5 / 100))
        eq("periodic", b.totals.periodicFees, cny(1_500))
        eq("lines sum to net", b.lines.sumOf { it.amount.minor }, b.net.minor)
        check("refunded fee line", b.lines.any { it.kind == "refunded_fee" && it.reference == "T0005" })
        val small = run.batches[3]
        eq("below minimum carried", small.carriedForward, small.net)
        val next = schedule.settle(cal, "id,merchant_id,kind,amount,currency,time,card,channel\n" +
            "N1,898310048169999,sale,100.00,CNY,2026-02-24T10:00:00+08:00,debit,chip\n", run.stateJson)
        eq("carried in", next.batches[0].totals.carriedIn, small.net)
        val csv = throws<PaycoreException.SettlementCsv>("bad csv") {
            schedule.settle(cal, "id,merchant_id,kind,amount,currency,time,card,channel\n" +
                "A1,m1,sale,12.345,CNY,2026-02-12T10:00:00+08:00,debit,chip\n", null)
        }
        check("csv error names line", csv?.message?.contains("line 2") == true)
    }

    private fun badInputs(schedule: FeeSchedule) {
        val e = throws<PaycoreException.FeeSchedule>("unknown card type in JSON") {
            FeeSchedule.fromJson("{\"currency\": \"CNY\",\n \"rules\": [{\"id\": \"a\", \"card_types\": [\"gold\"],\n" +
                " \"fee\": {\"shape\": \"fixed\", \"amount\": \"1\"}}]}")
        }
        check("names line and value", e?.message?.let { it.contains("line 2") && it.contains("gold") } == true)
        throws<PaycoreException.FeeSchedule>("rate out of range") {
            FeeSchedule.fromJson("{\"currency\": \"CNY\", \"rules\": [{\"id\": \"r\", \"fee\": {\"shape\": \"percentage\", \"rate\": \"1.5\"}}]}")
        }
        throws<PaycoreException.CurrencyMismatch>("USD amount") {
            schedule.quote(FeeInput(Money(100, "USD"), CardType.DEBIT, Channel.CHIP, MerchantType.STANDARD, 0L), null)
        }
        throws<PaycoreException.FeeUnknownAgent>("unknown agent") { schedule.quote(input(100, CardType.DEBIT), "nobody") }
        throws<PaycoreException.InvalidArgument>("negative amount") { schedule.quote(input(-1, CardType.DEBIT), null) }
        // A bare merchant schedule in TOML (2016 China costs).
        val toml = FeeSchedule.fromToml("name = \"toml\"\ncurrency = \"CNY\"\n[[rules]]\nid = \"all\"\n" +
            "fee = { shape = \"percentage\", rate = \"0.006\" }\ncap = \"20.00\"\n")
        eq("toml half-up", toml.quote(input(750, CardType.DEBIT), null).merchantFee, cny(5))
        throws<PaycoreException.D0NotConfigured>("no d0") {
            toml.d0Quote(cny(1_000), null, cny(0), beijing(2026, 3, 10, 10, 0))
        }
    }
}
