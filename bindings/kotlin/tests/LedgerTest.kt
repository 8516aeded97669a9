package io.paycore.tests

import io.paycore.*
import io.paycore.tests.Harness.check
import io.paycore.tests.Harness.eq
import io.paycore.tests.Harness.throws
import java.math.BigInteger

// The doc example of core/src/ledger/mod.rs: a sale, a partial refund, a payout and a
// withdrawal with the balances after each; precise result codes; journal replay.
object LedgerTest {
    private const val CNY = 156u
    private const val MERCHANT = 42uL
    private const val AGENT = 7uL
    private var clock = 1_000uL

    private fun big(v: Long): BigInteger = BigInteger.valueOf(v)

    private fun amounts(gross: Long, fee: Long = 0, cost: Long = 0, commission: Long = 0) =
        Amounts(big(gross), big(fee), big(cost), big(commission), BigInteger.ZERO, BigInteger.ZERO)

    private fun event(kind: EventKind, id: ULong, a: Amounts) =
        BusinessEvent(kind, id, MERCHANT, AGENT, CNY, a)

    private fun post(ledger: Ledger, kind: EventKind, id: ULong, a: Amounts): List<CreateTransferResult> {
        clock += 1u
        return ledger.postEvent(event(kind, id, a), clock)
    }

    private fun posted(ledger: Ledger, kind: AccountKind, owner: ULong): BigInteger =
        ledger.chartBalances(kind, owner, CNY).posted

    fun run() {
        val ledger = Ledger()
        val accounts = chartAccounts(Owner.PLATFORM, 0u, CNY) +
            chartAccounts(Owner.MERCHANT, MERCHANT, CNY) + chartAccounts(Owner.AGENT, AGENT, CNY)
        eq("chart size", accounts.size, 11)
        val created = ledger.createAccounts(accounts, 1_000u)
        check("accounts created", created.all { it == CreateAccountResult.CREATED })
        eq("account exists", ledger.createAccounts(accounts.take(1), 1_001u), listOf(CreateAccountResult.EXISTS))
        val changed = accounts[0].copy(flags = (accounts[0].flags.toInt() xor 8).toUShort())
        val diff = ledger.createAccounts(listOf(changed), 1_002u)
        eq("exists_with_different_flags", diff, listOf(CreateAccountResult.EXISTS_WITH_DIFFERENT_FLAGS))
        eq("account result name", createAccountResultName(diff[0]), "exists_with_different_flags")

        // 128-bit ids: the owner sits in the high 64 bits.
        val wdId = chartAccountId(AccountKind.MERCHANT_WITHDRAWABLE, MERCHANT, CNY)
        eq("id high half", wdId.shiftRight(64), big(42))
        eq("normal side", accountKindNormalSide(AccountKind.NETWORK_RECEIVABLE), NormalSide.DEBIT)

        // A 100.00 sale: MDR 0.60 %, scheme cost 0.45 %, agent share 0.05 %.
        val sale = amounts(10_000, 60, 45, 5)
        eq("sale legs", post(ledger, EventKind.SALE, 1u, sale), List(4) { CreateTransferResult.CREATED })
        eq("network receivable", posted(ledger, AccountKind.NETWORK_RECEIVABLE, 0u), big(10_000))
        eq("merchant uncleared", posted(ledger, AccountKind.MERCHANT_UNCLEARED, MERCHANT), big(9_940))
        eq("fee revenue", posted(ledger, AccountKind.FEE_REVENUE, 0u), big(10))
        eq("agent commission", posted(ledger, AccountKind.AGENT_COMMISSION_PAYABLE, AGENT), big(5))

        // Idempotent retry, then the same id with another amount.
        val retry = post(ledger, EventKind.SALE, 1u, sale)
        eq("retry exists", retry[0], CreateTransferResult.EXISTS)
        eq("retry rest", retry.drop(1).toSet(), setOf(CreateTransferResult.LINKED_EVENT_FAILED))
        eq("unchanged after retry", posted(ledger, AccountKind.MERCHANT_UNCLEARED, MERCHANT), big(9_940))
        val other = post(ledger, EventKind.SALE, 1u, amounts(10_001, 60, 45, 5))
        eq("different amount", other[0], CreateTransferResult.EXISTS_WITH_DIFFERENT_AMOUNT)
        eq("result name", createTransferResultName(other[0]), "exists_with_different_amount")
        throws<PaycoreException.LedgerPosting>("fee > gross") {
            post(ledger, EventKind.SALE, 99u, amounts(10, 60))
        }

        // A partial refund of 20.00.
        post(ledger, EventKind.REFUND, 2u, amounts(2_000, 12, 9))
        eq("uncleared after refund", posted(ledger, AccountKind.MERCHANT_UNCLEARED, MERCHANT), big(7_952))
        eq("fee after refund", posted(ledger, AccountKind.FEE_REVENUE, 0u), big(7))

        // Clearing, settlement run, network settlement: clearing accounts back to zero.
        post(ledger, EventKind.CLEARING, 3u, amounts(7_952))
        post(ledger, EventKind.SETTLEMENT_RUN, 4u, amounts(7_952))
        post(ledger, EventKind.NETWORK_SETTLEMENT, 5u, amounts(7_964, cost = 36))
        eq("receivable zero", posted(ledger, AccountKind.NETWORK_RECEIVABLE, 0u), BigInteger.ZERO)
        eq("withdrawable", posted(ledger, AccountKind.MERCHANT_WITHDRAWABLE, MERCHANT), big(7_952))

        // A payout of 50.00.
        post(ledger, EventKind.PAYOUT, 6u, amounts(5_000))
        eq("after payout", posted(ledger, AccountKind.MERCHANT_WITHDRAWABLE, MERCHANT), big(2_952))

        // A rejected transfer: overdrawing the merchant is exceeds_credits; retry id_already_failed.
        val bank = chartAccountId(AccountKind.SETTLEMENT_BANK, 0u, CNY)
        val overdraw = Transfer(big(5_000), wdId, bank, big(1_000_000), BigInteger.ZERO, BigInteger.ZERO,
            0u, 0u, 0u, CNY, 12u, 0u, 0u)
        eq("exceeds_credits", ledger.createTransfers(listOf(overdraw), clock + 1u), listOf(CreateTransferResult.EXCEEDS_CREDITS))
        eq("id_already_failed", ledger.createTransfers(listOf(overdraw), clock + 2u), listOf(CreateTransferResult.ID_ALREADY_FAILED))
        eq("zero amount", ledger.createTransfers(listOf(overdraw.copy(id = big(5_001), amount = BigInteger.ZERO)), clock + 3u),
            listOf(CreateTransferResult.AMOUNT_MUST_NOT_BE_ZERO))

        // A withdrawal of 20.00 with a 2.00 fee inside: reserved, approved, paid.
        val policy = WithdrawalPolicy(big(100), big(1_000_000), big(200), 0u, FeeMode.INSIDE)
        val now = 2_000_000_000uL
        val w = Withdrawal.request(ledger, policy, WithdrawalRequest(1u, MERCHANT, CNY, big(2_000)), now)
        eq("available while reserved", ledger.balances(wdId, NormalSide.CREDIT).available, big(952))
        eq("fee", w.fee(), big(200))
        eq("payout", w.payout(), big(1_800))
        throws<PaycoreException.WithdrawalIllegalTransition>("paid before approval") {
            w.apply(ledger, WithdrawalAction.PAID, now + 1u)
        }
        w.apply(ledger, WithdrawalAction.APPROVE, now + 1u)
        w.apply(ledger, WithdrawalAction.PAID, now + 2u)
        eq("state paid", w.state(), WithdrawalState.PAID)
        eq("after withdrawal", posted(ledger, AccountKind.MERCHANT_WITHDRAWABLE, MERCHANT), big(952))
        eq("fee revenue 207", posted(ledger, AccountKind.FEE_REVENUE, 0u), big(207))
        w.close()
        throws<PaycoreException.WithdrawalInsufficientFunds>("over balance") {
            Withdrawal.request(ledger, policy, WithdrawalRequest(2u, MERCHANT, CNY, big(2_000)), now + 3u)
        }
        throws<PaycoreException.WithdrawalLimit>("below minimum") {
            Withdrawal.request(ledger, policy, WithdrawalRequest(3u, MERCHANT, CNY, big(50)), now + 3u)
        }
        ledger.checkInvariants()

        // Paging, history, balance as of.
        var cursor: ULong? = null
        var seen = 0
        do {
            val page = ledger.transfersByAccount(AccountFilter(wdId, cursor, 2u, true, true, false))
            seen += page.transfers.size
            cursor = page.nextCursor
        } while (cursor != null)
        eq("transfers on withdrawable", seen, 6)
        throws<PaycoreException.InvalidArgument>("limit 0") {
            ledger.transfersByAccount(AccountFilter(wdId, null, 0u, true, true, false))
        }
        val history = ledger.accountHistory(wdId)
        eq("history rows", history.size, 6)
        val asOf = ledger.balanceAsOf(wdId, history[1].timestamp)
        eq("as of payout", asOf.creditsPosted - asOf.debitsPosted, big(2_952))
        throws<PaycoreException.LedgerHistoryNotEnabled>("bank has no history") { ledger.accountHistory(bank) }
        throws<PaycoreException.LedgerAccountNotFound>("unknown account") { ledger.balances(big(12_345), NormalSide.CREDIT) }
        eq("missing account", ledger.account(big(12_345)), null)

        // Journal replay and snapshot: the same state bit for bit.
        val journal = ledger.takeJournal()
        check("journal lines", journal.lines().filter { it.isNotEmpty() }.size > 10)
        Ledger.replay(journal).use { replayed ->
            eq("replay digest", replayed.digest(), ledger.digest())
            eq("replayed balance", replayed.chartBalances(AccountKind.MERCHANT_WITHDRAWABLE, MERCHANT, CNY).posted, big(952))
        }
        eq("journal drained", ledger.takeJournal(), "")
        Ledger.fromSnapshotJson(ledger.snapshotJson()).use { restored ->
            eq("snapshot digest", restored.digest(), ledger.digest())
        }
        val bad = "{\"seq\":0,\"op\":{\"expire_pending\":{\"now\":5}}}\n\n{\"seq\":1,\"op\":{\"nope\""
        val err = throws<PaycoreException.LedgerJournal>("malformed journal") { Ledger.replay(bad) }
        check("journal error names line 3", err?.message?.contains("journal line 3") == true)
        throws<PaycoreException.LedgerSnapshot>("bad snapshot") { Ledger.fromSnapshotJson("{\"version\": 9") }

        // Two-phase: a pending hold released by the caller's clock; posting it afterwards fails.
        val hold = Transfer(big(77), wdId, bank, big(500), BigInteger.ZERO, BigInteger.ZERO, 0u, 0u, 1u, CNY, 99u, 2u, 0u)
        val t0 = ledger.clock() + 1u
        eq("hold created", ledger.createTransfers(listOf(hold), t0), listOf(CreateTransferResult.CREATED))
        eq("hold reserves", ledger.balances(wdId, NormalSide.CREDIT).available, big(452))
        eq("expired", ledger.expirePending(t0 + 1_000_000_000uL), 1uL)
        eq("released", ledger.balances(wdId, NormalSide.CREDIT).available, big(952))
        val postHold = hold.copy(id = big(78), debitAccountId = BigInteger.ZERO, creditAccountId = BigInteger.ZERO,
            pendingId = big(77), timeout = 0u, ledger = 0u, code = 0u, flags = 4u)
        eq("post after expiry", ledger.createTransfers(listOf(postHold), ledger.clock() + 1u),
            listOf(CreateTransferResult.PENDING_TRANSFER_EXPIRED))

        // A negative BigInteger is not a U128: the call fails instead of wrapping.
        throws<Exception>("negative id") { ledger.account(big(-1)) }
        ledger.close()
    }
}
