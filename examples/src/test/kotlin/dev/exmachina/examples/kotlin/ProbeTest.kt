package dev.exmachina.examples.kotlin

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test

class ProbeTest {
    @Test
    fun runsOnJdk25() {
        assertEquals("probe:25", virtualThreadName())
    }
}
