// A tiny test harness: no JUnit (Maven Central is not reachable); ends with "N passed, N failed".
package io.paycore.tests

object Harness {
    var passed = 0
    var failed = 0

    fun check(name: String, cond: Boolean) {
        if (cond) passed++ else { failed++; System.err.println("FAILED: $name") }
    }

    fun <T> eq(name: String, actual: T, expected: T) {
        if (actual == expected) passed++ else {
            failed++
            System.err.println("FAILED: $name: expected <$expected>, got <$actual>")
        }
    }

    inline fun <reified E : Throwable> throws(name: String, block: () -> Unit): E? {
        try {
            block()
        } catch (e: Throwable) {
            if (e is E) { passed++; return e }
            failed++
            System.err.println("FAILED: $name: expected ${E::class.simpleName}, got $e")
            return null
        }
        failed++
        System.err.println("FAILED: $name: expected ${E::class.simpleName}, nothing thrown")
        return null
    }
}
