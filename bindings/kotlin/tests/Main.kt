package io.paycore.tests

import kotlin.system.exitProcess

fun main() {
    val suites = listOf<Pair<String, () -> Unit>>(
        "money+card" to MoneyCardTest::run,
        "tlv" to TlvTest::run,
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
