package dev.exmachina.spring;

import dev.exmachina.retry.RetryRule;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** One rule of a retry policy: {@code exmachina.retries.<name>.rules[<i>].*}. */
public class RetryRuleProperties {

    /** An exponential-and-jitter rule for any Exception, before binding. */
    public RetryRuleProperties() {}

    /** The kind of wait: FIXED, FIBONACCI, RANGE or EXPONENTIAL_AND_JITTER. */
    private RetryRuleKind kind = RetryRuleKind.EXPONENTIAL_AND_JITTER;

    /**
     * The failures this rule handles (an exception class, subclasses included): the rule's "on".
     * Not named "on" here, which YAML reads as true.
     */
    private Class<? extends Throwable> exception = Exception.class;

    /** Retries this rule allows per call; unset for no limit. */
    private @Nullable Integer retries;

    /** FIXED: the wait before every retry. */
    private Duration waitTime = Duration.ofSeconds(1);

    /** FIBONACCI: the unit of the sequence 1, 1, 2, 3, 5, … */
    private Duration unit = Duration.ofSeconds(1);

    /** RANGE: the shortest wait. */
    private Duration min = Duration.ZERO;

    /** RANGE: the longest wait. */
    private Duration max = Duration.ofSeconds(1);

    /** EXPONENTIAL_AND_JITTER: the first wait, doubled at each retry before jitter. */
    private Duration base = Duration.ofSeconds(1);

    /** EXPONENTIAL_AND_JITTER: the longest wait. */
    private Duration cap = Duration.ofHours(1);

    /**
     * The rule these properties describe, made by the same factory as in code.
     *
     * @return the rule of this kind, with its retries if set
     * @throws IllegalArgumentException if a value is out of range
     */
    public RetryRule<?> toRule() {
        RetryRule<?> rule = switch (kind) {
            case FIXED -> retries(RetryRule.fixed(exception, waitTime));
            case FIBONACCI -> retries(RetryRule.fibonacci(exception).unit(unit));
            case RANGE -> retries(RetryRule.range(exception, min, max));
            case EXPONENTIAL_AND_JITTER -> retries(RetryRule.exponentialAndJitter(exception).base(base).cap(cap));
        };
        return rule;
    }

    private RetryRule<?> retries(RetryRule<?> rule) {
        return retries == null ? rule : rule.retries(retries);
    }

    /**
     * Reads the kind of wait.
     *
     * @return the kind of wait
     */
    public RetryRuleKind getKind() {
        return kind;
    }

    /**
     * Sets the kind of wait.
     *
     * @param kind the kind of wait
     */
    public void setKind(RetryRuleKind kind) {
        this.kind = kind;
    }

    /**
     * Reads the failures handled.
     *
     * @return the failures handled
     */
    public Class<? extends Throwable> getException() {
        return exception;
    }

    /**
     * Sets the failures handled.
     *
     * @param exception the failures handled
     */
    public void setException(Class<? extends Throwable> exception) {
        this.exception = exception;
    }

    /**
     * Reads retries allowed per call, or {@code null} for no limit.
     *
     * @return retries allowed per call, or {@code null} for no limit
     */
    public @Nullable Integer getRetries() {
        return retries;
    }

    /**
     * Sets retries allowed per call, or {@code null} for no limit.
     *
     * @param retries retries allowed per call, or {@code null} for no limit
     */
    public void setRetries(@Nullable Integer retries) {
        this.retries = retries;
    }

    /**
     * Reads FIXED's wait.
     *
     * @return FIXED's wait
     */
    public Duration getWaitTime() {
        return waitTime;
    }

    /**
     * Sets FIXED's wait.
     *
     * @param waitTime FIXED's wait
     */
    public void setWaitTime(Duration waitTime) {
        this.waitTime = waitTime;
    }

    /**
     * Reads FIBONACCI's unit.
     *
     * @return FIBONACCI's unit
     */
    public Duration getUnit() {
        return unit;
    }

    /**
     * Sets FIBONACCI's unit.
     *
     * @param unit FIBONACCI's unit
     */
    public void setUnit(Duration unit) {
        this.unit = unit;
    }

    /**
     * Reads RANGE's shortest wait.
     *
     * @return RANGE's shortest wait
     */
    public Duration getMin() {
        return min;
    }

    /**
     * Sets RANGE's shortest wait.
     *
     * @param min RANGE's shortest wait
     */
    public void setMin(Duration min) {
        this.min = min;
    }

    /**
     * Reads RANGE's longest wait.
     *
     * @return RANGE's longest wait
     */
    public Duration getMax() {
        return max;
    }

    /**
     * Sets RANGE's longest wait.
     *
     * @param max RANGE's longest wait
     */
    public void setMax(Duration max) {
        this.max = max;
    }

    /**
     * Reads EXPONENTIAL_AND_JITTER's first wait.
     *
     * @return EXPONENTIAL_AND_JITTER's first wait
     */
    public Duration getBase() {
        return base;
    }

    /**
     * Sets EXPONENTIAL_AND_JITTER's first wait.
     *
     * @param base EXPONENTIAL_AND_JITTER's first wait
     */
    public void setBase(Duration base) {
        this.base = base;
    }

    /**
     * Reads EXPONENTIAL_AND_JITTER's longest wait.
     *
     * @return EXPONENTIAL_AND_JITTER's longest wait
     */
    public Duration getCap() {
        return cap;
    }

    /**
     * Sets EXPONENTIAL_AND_JITTER's longest wait.
     *
     * @param cap EXPONENTIAL_AND_JITTER's longest wait
     */
    public void setCap(Duration cap) {
        this.cap = cap;
    }
}
