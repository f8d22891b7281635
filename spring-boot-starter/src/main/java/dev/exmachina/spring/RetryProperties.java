package dev.exmachina.spring;

import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.util.ArrayList;
import java.util.List;

/** A retry policy: {@code exmachina.retries.<name>.*}. */
public class RetryProperties {

    /** A policy with no rule (no retry), before binding. */
    public RetryProperties() {}

    /** The rules, asked in this order when an attempt fails; the first that applies decides the wait. */
    private List<RetryRuleProperties> rules = new ArrayList<>();

    /**
     * The policy these properties describe, as the builder would make it.
     *
     * @return {@code Retry.of(rules)}, each rule as {@link RetryRuleProperties#toRule()} makes it
     * @throws IllegalArgumentException if a rule is out of range
     */
    public Retry toRetry() {
        return Retry.of(rules.stream().<RetryRule<?>>map(RetryRuleProperties::toRule).toList());
    }

    /**
     * Reads the rules, in order.
     *
     * @return the rules, in order
     */
    public List<RetryRuleProperties> getRules() {
        return rules;
    }

    /**
     * Sets the rules, in order.
     *
     * @param rules the rules, in order
     */
    public void setRules(List<RetryRuleProperties> rules) {
        this.rules = rules;
    }
}
