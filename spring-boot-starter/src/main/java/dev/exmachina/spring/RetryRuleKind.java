package dev.exmachina.spring;

import dev.exmachina.retry.RetryRule;

/** The kinds of {@link RetryRule}. */
public enum RetryRuleKind {
    /** {@link RetryRule#fixed}: always {@code wait}. */
    FIXED,
    /** {@link RetryRule#fibonacci}: 1, 1, 2, 3, 5, … times {@code unit}. */
    FIBONACCI,
    /** {@link RetryRule#range}: uniform in [{@code min}, {@code max}]. */
    RANGE,
    /** {@link RetryRule#exponentialAndJitter}: {@code base}, then full jitter up to {@code cap}. */
    EXPONENTIAL_AND_JITTER
}
