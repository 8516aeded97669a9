package io.paycore.tests

import io.paycore.*
import io.paycore.tests.Harness.check
import io.paycore.tests.Harness.eq
import io.paycore.tests.Harness.throws
import java.math.BigDecimal

object MoneyCardTest {
    fun run() {
        // Currencies by either code.
        val cny = currencyLookup("CNY")
        eq("CNY numeric", cny.numeric, 156.toUShort())
        eq("CNY exponent", cny.exponent, 2.toUByte())
        eq("JPY by numeric", currencyLookup("392").alpha, "JPY")
        eq("KWD exponent", currencyLookup("KWD").exponent, 3.toUByte())
        eq("CLF exponent", currencyLookup("CLF").exponent, 4.toUByte())
        throws<PaycoreException.UnknownCurrency>("unknown currency") { currencyLookup("ZZZ") }

        // Exact parse/format.
        val m = moneyParse("23.72", "CNY")
        eq("parse minor", m.minor, 2372L)
        eq("format", moneyFormat(m), "23.72")
        eq("to BigDecimal", moneyToDecimal(m), BigDecimal("23.72"))
        eq("from BigDecimal", moneyFromDecimal(BigDecimal("23.7200"), "CNY").minor, 2372L)
        val tooMany = throws<PaycoreException.TooManyDecimals>("1.234 CNY") { moneyParse("1.234", "CNY") }
        check("error says what", tooMany?.message?.contains("3 decimal places") == true)
        for (bad in listOf("", "1e3", "12,00", " 1")) {
            throws<PaycoreException.MalformedAmount>("malformed '$bad'") { moneyParse(bad, "CNY") }
        }
        throws<PaycoreException.Overflow>("overflow") {
            moneyAdd(Money(Long.MAX_VALUE, "CNY"), Money(1, "CNY"))
        }
        throws<PaycoreException.CurrencyMismatch>("mismatch") {
            moneyAdd(Money(1, "CNY"), Money(1, "USD"))
        }

        // Rates are BigDecimal, rounding is explicit.
        val amt = Money(12345, "CNY")
        eq("half up", moneyMulRate(amt, BigDecimal("0.006"), Rounding.HALF_UP).minor, 74L)
        eq("up", moneyMulRate(amt, BigDecimal("0.006"), Rounding.UP).minor, 75L)
        eq("half even tie", moneyMulRate(Money(100, "CNY"), BigDecimal("0.005"), Rounding.HALF_EVEN).minor, 0L)
        eq("half up tie", moneyMulRate(Money(100, "CNY"), BigDecimal("0.005"), Rounding.HALF_UP).minor, 1L)

        // Allocation always sums back.
        val parts = moneyAllocate(Money(100, "CNY"), listOf(1uL, 1uL, 1uL))
        eq("split 3", parts.map { it.minor }, listOf(34L, 33L, 33L))
        val ratio = moneyAllocateRatios(Money(1001, "CNY"), listOf(BigDecimal("0.3"), BigDecimal("0.7")))
        eq("ratios", ratio.map { it.minor }, listOf(300L, 701L))
        throws<PaycoreException.InvalidWeights>("zero weights") { moneyAllocate(Money(1, "CNY"), listOf(0uL)) }

        // Cards.
        check("luhn ok", luhnValid("6230606601007726888"))
        check("luhn bad", !luhnValid("1234567890123458"))
        eq("brand 62", detectBrand("6228480012345676789"), Brand.UNION_PAY)
        eq("brand 2221", detectBrand("2221000000000009"), Brand.MASTERCARD)
        eq("brand none", detectBrand("9999999999999999"), null)
        Pan("6228480012345676789").use { pan ->
            eq("masked", pan.masked(MaskStyle.FIRST6_LAST4), "622848*********6789")
            eq("masked 8+4", pan.masked(MaskStyle.FIRST8_LAST4), "62284800*******6789")
            eq("brand", pan.brand(), Brand.UNION_PAY)
            check("toString hides the PAN", !pan.toString().contains("6228480012345676789"))
        }
        val panErr = throws<PaycoreException.InvalidPan>("pan with letter") { Pan("62284800123x5676789") }
        check("pan error offset", panErr?.message?.contains("offset 11") == true)
        check("pan error hides digits", panErr?.message?.contains("62284800") == false)
        Track2.parse("6228480012345676789D29122011234567F").use { t ->
            eq("expiry year", t.expiryYear(), 2029.toUShort())
            eq("expiry month", t.expiryMonth(), 12.toUByte())
            eq("service code", t.serviceCode(), "201")
            check("chip", t.chipPresent())
            eq("field 35", t.toField35(), "6228480012345676789=29122011234567")
            check("not expired", !t.isExpiredOn(2029, 12u, 31u))
            check("expired", t.isExpiredOn(2030, 1u, 1u))
            check("masked track", t.masked().startsWith("622848*********6789=") && !t.masked().contains("2912"))
        }
        throws<PaycoreException.InvalidTrack2>("no separator") { Track2.parse("6228480012345676789") }
    }
}
