package io.paycore.tests

import io.paycore.*
import io.paycore.tests.Harness.check
import io.paycore.tests.Harness.eq
import io.paycore.tests.Harness.throws

// The Android POS path: a TerminalSession wired in memory to an AcquirerProcessor, the network
// answered by the test. Frame MTIs are checked by decoding with the ISO 8583 bindings.
object LifecycleTest {
    private const val TID = "12345678"
    private const val MID = "898100012340001"
    private const val PAN = "6228480402564890018"
    private const val PAN_MASKED = "622848*********0018"

    // 2026-03-02 02:00:00 UTC = 10:00 Beijing (settlement day 2 March).
    private const val T0 = 1772416800000L
    private const val DAY = 86_400_000L
    private val TMK = ByteArray(16) { 0x11 }
    private val PIK = ByteArray(16) { 7 }
    private val MAK = ByteArray(8) { 9 }
    private val spec = Iso8583Spec.builtin("cup-pos")

    private fun mti(frame: ByteArray): String = spec.decode(frame).mti()

    private class World {
        val proc = AcquirerProcessor(null)
        var term = TerminalSession(TID, MID, TMK, null)
        var now = T0
        var dropResponses = 0
        val tEvents = mutableListOf<TerminalEvent>()
        val pEvents = mutableListOf<DomainEvent>()
        val termMtis = mutableListOf<String>()
        val hostMtis = mutableListOf<String>()
        var networkReversals = 0

        init {
            proc.registerTerminal(TID, MID, TMK)
            proc.provideWorkingKeys(TID, PIK, MAK)
        }

        fun pump() {
            repeat(50) {
                var moved = false
                while (true) {
                    val f = term.pollTransmit() ?: break
                    moved = true
                    termMtis += mti(f)
                    proc.handleTerminal(now, f)
                }
                while (true) {
                    val r = proc.pollNetworkRequest() ?: break
                    moved = true
                    when (r) {
                        is NetworkRequest.Reversal -> {
                            networkReversals++
                            proc.handleNetworkReversalAck(now, r.id)
                        }
                        is NetworkRequest.Transaction -> {
                            eq("network gets the full PAN", r.pan.digits(), PAN)
                            check("no PAN in request toString", !r.toString().contains(PAN))
                            proc.handleNetworkResponse(
                                now, r.id,
                                NetworkOutcome.Approved(
                                    "A%05d".format(r.id.toLong()), null, CardBrand.UNION_PAY,
                                    CardProfileType.DEBIT, null,
                                ),
                            )
                        }
                    }
                }
                while (true) {
                    val f = proc.pollTerminalTransmit() ?: break
                    moved = true
                    eq("frame for our terminal", f.terminalId, TID)
                    hostMtis += mti(f.frame)
                    if (dropResponses > 0) { dropResponses--; continue }
                    term.handleResponse(now, f.frame)
                }
                while (true) tEvents += term.pollEvent() ?: break
                while (true) pEvents += proc.pollEvent() ?: break
                if (!moved) return
            }
        }

        fun signOn() {
            term.signOn(now)
            pump()
            eq("0800 sent", termMtis.first(), "0800")
            eq("0810 back", hostMtis.first(), "0810")
            eq("signed on event", tEvents.last(), TerminalEvent.SignedOn(1u))
            check("signed on", term.isSignedOn() && term.isReady())
            eq("batch 1", term.batch(), 1u)
        }
    }

    private val TRACK2 = "$PAN=29122011234567"

    private fun card() = CardInput(PAN, EntryMode.CHIP, null, null, 1u.toUShort(), TRACK2)

    private fun request(kind: TransactionKind, amount: Long, original: OriginalRef? = null) =
        TransactionRequest(kind, amount, 156u.toUShort(), card(), original)

    fun run() {
        saleVoidSettle()
        timeoutReversal()
        saveRestore()
        refundTooLarge()
        badInputs()
        echoLocalFailureSignOff()
        processorSaveRestore()
        track2()
    }

    /// Track 2 goes out as F35 (and its expiry as F14); a malformed one is a typed error.
    private fun track2() {
        val w = World()
        w.signOn()
        w.term.begin(w.now, request(TransactionKind.SALE, 500))
        val m = spec.decode(w.term.pollTransmit()!!)
        eq("F35", m.text(35u.toUShort()), TRACK2)
        eq("F14", m.text(14u.toUShort()), "2912")
        throws<PaycoreException.InvalidTrack2>("short track 2") {
            CardInput(PAN, EntryMode.MAGSTRIPE, null, null, null, "$PAN=29")
        }
    }

    private fun saleVoidSettle() {
        val w = World()
        eq("no batch before sign-on", w.term.batch(), null)
        w.signOn()
        val sale = w.term.begin(w.now, request(TransactionKind.SALE, 12_345))
        eq("sale txn", sale, TxnRef(1u, 2u))
        eq("timer", w.term.pollTimeout(), T0 + 60_000)
        w.pump()
        eq("0200", w.termMtis.last(), "0200")
        eq("0210", w.hostMtis.last(), "0210")
        eq(
            "approved event",
            w.tEvents.last(),
            TerminalEvent.Approved(
                TxnRef(1u, 2u), TransactionKind.SALE, 12_345, 156u.toUShort(), "A00001",
                "000000000001", CardBrand.UNION_PAY, null,
            ),
        )
        val captured = w.pEvents.last() as DomainEvent.Captured
        eq("captured amount", captured.data.amountMinor, 12_345L)
        eq("captured pan masked", captured.data.panMasked, PAN_MASKED)
        eq("settlement date", captured.data.settlementDate, "2026-03-02")
        eq("captured key", captured.data.key, TxnKey(TID, 1u, 2u))
        eq("brand", captured.data.brand, CardBrand.UNION_PAY)
        val j = w.term.journal().single()
        eq("journal pan masked", j.panMasked, PAN_MASKED)
        eq("journal rrn", j.rrn, "000000000001")

        val orig = OriginalRef(1u, 2u, j.dateMmdd, j.rrn, j.authCode)
        eq("original date", j.dateMmdd, 302.toUShort())
        w.term.begin(w.now, request(TransactionKind.VOID, 12_345, orig))
        w.pump()
        val voidEv = w.tEvents.last() as TerminalEvent.Approved
        eq("void kind", voidEv.kind, TransactionKind.VOID)
        eq("void txn", voidEv.txn, TxnRef(1u, 3u))
        eq("void amount", voidEv.amountMinor, 12_345L)
        val voided = w.pEvents.last() as DomainEvent.Voided
        eq("voided original", voided.data.original, TxnKey(TID, 1u, 2u))
        val totals = w.term.totals()
        eq("terminal totals", totals.domestic, SideTotals(12_345, 1u, 12_345, 1u))
        eq("host totals", w.proc.batchTotals(TID, 1u), totals)

        w.term.settle(w.now)
        w.pump()
        eq("0500", w.termMtis.last(), "0500")
        eq("0510", w.hostMtis.last(), "0510")
        eq("settled", w.tEvents.last(), TerminalEvent.BatchSettled(1u, totals, false))
        val settled = w.pEvents.last() as DomainEvent.BatchSettled
        eq("host settled totals", settled.hostTotals, totals)
        eq("next batch", w.term.batch(), 2u)
        check("journal empty", w.term.journal().isEmpty())
    }

    private fun timeoutReversal() {
        val w = World()
        w.signOn()
        w.dropResponses = 1
        w.term.begin(w.now, request(TransactionKind.SALE, 7_700))
        w.pump()
        check("host captured", w.pEvents.last() is DomainEvent.Captured)
        throws<PaycoreException.LifecycleIllegalState>("busy") {
            w.term.begin(w.now, request(TransactionKind.SALE, 1))
        }
        w.now = w.term.pollTimeout()!!
        eq("deadline", w.now, T0 + 60_000)
        w.dropResponses = 1 // the first 0410 is lost too
        w.term.handleTimeout(w.now)
        check("reversing", w.term.isReversing())
        w.pump()
        eq("0400", w.termMtis.last(), "0400")
        eq("0410", w.hostMtis.last(), "0410")
        check(
            "outcome unknown",
            w.tEvents.contains(
                TerminalEvent.OutcomeUnknown(TxnRef(1u, 2u), TransactionKind.SALE, UnknownOutcome.TIMEOUT, true),
            ),
        )
        throws<PaycoreException.LifecycleIllegalState>("no settle while reversing") { w.term.settle(w.now) }
        var rounds = 0
        while (w.term.isReversing() && rounds++ < 10) {
            w.now = w.term.pollTimeout()!!
            w.term.handleTimeout(w.now)
            w.pump()
        }
        check("0400 retried", w.termMtis.count { it == "0400" } >= 2)
        eq("reversed", w.tEvents.last(), TerminalEvent.Reversed(TxnRef(1u, 2u), TransactionKind.SALE))
        eq("host reversed once", w.pEvents.count { it is DomainEvent.Reversed }, 1)
        eq("network reversal once", w.networkReversals, 1)
        eq("totals zero", w.term.totals().domestic.debitCount, 0u)
        eq("host totals zero", w.proc.batchTotals(TID, 1u).domestic.debitAmount, 0L)
    }

    private fun saveRestore() {
        val w = World()
        w.signOn()
        w.dropResponses = 1
        w.term.begin(w.now, request(TransactionKind.SALE, 4_200))
        w.pump()
        val saved = w.term.toJson()
        w.term.close()
        w.term = TerminalSession.fromJson(saved)
        check("restored busy", w.term.isBusy() && w.term.isSignedOn())
        eq("restored timer", w.term.pollTimeout(), T0 + 60_000)
        w.now += 61_000
        w.term.handleTimeout(w.now)
        w.pump()
        eq("restored 0400", w.termMtis.last(), "0400")
        eq("restored reversed", w.tEvents.last(), TerminalEvent.Reversed(TxnRef(1u, 2u), TransactionKind.SALE))
        eq("host reversed 4200", (w.pEvents.last() as DomainEvent.Reversed).data.amountMinor, 4_200L)
    }

    private fun refundTooLarge() {
        val w = World()
        w.signOn()
        val sale = w.term.begin(w.now, request(TransactionKind.SALE, 10_000))
        w.pump()
        val j = w.term.journal().last()
        w.now += DAY
        w.term.begin(
            w.now,
            request(TransactionKind.REFUND, 15_000, OriginalRef(sale.batch, sale.stan, j.dateMmdd, j.rrn, j.authCode)),
        )
        w.pump()
        eq("0220", w.termMtis.last(), "0220")
        eq("0230", w.hostMtis.last(), "0230")
        eq(
            "declined 61",
            w.tEvents.last(),
            TerminalEvent.Declined(TxnRef(1u, 3u), TransactionKind.REFUND, "61", "exceeds amount limit"),
        )
        val d = w.pEvents.last() as DomainEvent.Declined
        eq("reason", d.reason, DeclineReason.AMOUNT_EXCEEDED)
        eq("code", d.code, "61")
    }

    private fun badInputs() {
        val w = World()
        throws<PaycoreException.LifecycleIllegalState>("not signed on") {
            w.term.begin(w.now, request(TransactionKind.SALE, 100))
        }
        w.signOn()
        val e = throws<PaycoreException.LifecycleMalformedMessage>("malformed response") {
            w.term.handleResponse(w.now, byteArrayOf(0x08, 0x10, 0xFF.toByte()))
        }
        check("message names the byte", e?.message?.contains("byte") == true)
        check("still ready", w.term.isReady())
        val k = throws<PaycoreException.KeyLength>("short TMK") { TerminalSession(TID, MID, ByteArray(8), null) }
        eq("TMK message", k?.message, "TMK must be 16 bytes, got 8")
        throws<PaycoreException.KeyLength>("short MAK") { w.proc.provideWorkingKeys(TID, PIK, ByteArray(7)) }
        throws<PaycoreException.LifecycleInvalidInput>("bad terminal id") { TerminalSession("1234", MID, TMK, null) }
        throws<PaycoreException.InvalidPan>("bad PAN") { CardInput("12ab", EntryMode.CHIP, null, null, null) }
        throws<PaycoreException.LifecycleInvalidInput>("short PIN block") {
            CardInput(PAN, EntryMode.CHIP, ByteArray(4), null, null)
        }
        throws<PaycoreException.LifecycleInvalidInput>("void without original") {
            w.term.begin(w.now, request(TransactionKind.VOID, 100))
        }
        throws<PaycoreException.LifecycleInvalidInput>("negative amount") {
            w.term.begin(w.now, request(TransactionKind.SALE, -1))
        }
        throws<PaycoreException.LifecycleState>("bad saved JSON") { TerminalSession.fromJson("{\"config\":1}") }
        throws<PaycoreException.LifecycleUnknownReference>("unknown network id") {
            w.proc.handleNetworkResponse(w.now, 777uL, NetworkOutcome.Declined("05"))
        }
        throws<PaycoreException.LifecycleInvalidInput>("time out of range") { w.term.echo(Long.MAX_VALUE) }
        val c = card()
        check("card toString hides the PAN", !c.toString().contains(PAN))
        eq("card masked", c.panMasked(), PAN_MASKED)
        check("session toString hides keys", !w.term.toString().contains("1111"))
        val o = terminalOptionsDefault()
        eq("default timeout", o.responseTimeoutMs, 60_000u)
        val t2 = TerminalSession(TID, MID, TMK, o.copy(responseTimeoutMs = 15_000u))
        t2.signOn(T0)
        eq("custom timeout", t2.pollTimeout(), T0 + 15_000)
        eq("processor defaults", processorOptionsDefault().preauthWindowDays, 30u)
    }

    private fun echoLocalFailureSignOff() {
        val w = World()
        w.signOn()
        w.term.echo(w.now)
        w.pump()
        eq("0820", w.termMtis.last(), "0820")
        eq("0830", w.hostMtis.last(), "0830")
        eq("echo ok", w.tEvents.last(), TerminalEvent.EchoAnswered(true))
        eq("sale stan", w.term.begin(w.now, request(TransactionKind.SALE, 300)), TxnRef(1u, 3u))
        w.pump()
        w.term.handleLocalFailure(w.now)
        w.pump()
        eq("local failure 0400", w.termMtis.last(), "0400")
        eq("local failure reversed", w.tEvents.last(), TerminalEvent.Reversed(TxnRef(1u, 3u), TransactionKind.SALE))
        check("journal marks reversed", w.term.journal().single().reversed)
        throws<PaycoreException.LifecycleIllegalState>("second local failure") { w.term.handleLocalFailure(w.now) }
        w.term.signOff(w.now)
        w.pump()
        eq("signed off", w.tEvents.last(), TerminalEvent.SignedOff)
        check("not signed on", !w.term.isSignedOn())
    }

    private fun processorSaveRestore() {
        val w = World()
        w.signOn()
        w.term.begin(w.now, request(TransactionKind.SALE, 5_500))
        w.proc.handleTerminal(w.now, w.term.pollTransmit()!!)
        val r = w.proc.pollNetworkRequest() as NetworkRequest.Transaction
        eq("network amount", r.amountMinor, 5_500L)
        val restored = AcquirerProcessor.fromJson(w.proc.toJson())
        eq("restored network timer", restored.pollTimeout(), T0 + 30_000)
        restored.handleNetworkResponse(
            w.now, r.id, NetworkOutcome.Approved("R00001", "2026-03-03", CardBrand.UNION_PAY, CardProfileType.CREDIT, null),
        )
        val f = restored.pollTerminalTransmit()!!
        w.term.handleResponse(w.now, f.frame)
        val e = w.term.pollEvent() as TerminalEvent.Approved
        eq("restored auth code", e.authCode, "R00001")
        val c = restored.pollEvent() as DomainEvent.Captured
        eq("network settlement date", c.data.settlementDate, "2026-03-03")
        eq("card type", c.data.cardType, CardProfileType.CREDIT)
        throws<PaycoreException.LifecycleState>("bad processor JSON") { AcquirerProcessor.fromJson("[]") }
    }
}
