package io.paycore.tests

import kotlin.system.exitProcess

fun main() {
    val suites = listOf<Pair<String, () -> Unit>>(
        "money+card" to MoneyCardTest::run,
        "iso8583" to Iso8583Test::run,
        "ledger" to LedgerTest::run,
        "security" to SecurityTest::run,
        "tlv" to TlvTest::run,
        "fees" to FeesTest::run,
        "lifecycle" to LifecycleTest::run,
    )
    for ((name, suite) in suites) {
        try {
            suite()
        } catch (e: Throwable) {
            Harness.failed++
            System.err.println("FAILED: suite $name threw $e")
            e.printStackTrace()
        }
    }
    println("kotlin: ${Harness.passed} passed, ${Harness.failed} failed")
    exitProcess(if (Harness.failed == 0) 0 else 1)
}
