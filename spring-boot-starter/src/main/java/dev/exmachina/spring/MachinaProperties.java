package dev.exmachina.spring;

import dev.exmachina.core.GroupLimits;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code exmachina.*} properties. Each part binds to the value object the Java builder takes:
 * a group to {@link GroupLimits} ({@link Group#toLimits}), a retry policy to {@link Retry}
 * ({@link RetryPolicy#toRetry}), so a property and its builder call mean the same thing.
 *
 * <pre>{@code
 * exmachina:
 *   groups:
 *     exchange: { concurrency: 5, calls-per-window: 5, window: 1s, anchor: completion }
 *   retries:
 *     network:
 *       rules:
 *         - { kind: exponential-and-jitter, exception: java.io.IOException, retries: 5 }
 * }</pre>
 *
 * <p>Durations take Spring's forms ({@code 500ms}, {@code 1s}, {@code 2m}, ISO-8601 {@code PT1M30S}).
 */
@ConfigurationProperties("exmachina")
public class MachinaProperties {

    /** The defaults, before binding. */
    public MachinaProperties() {}

    /** The bot's name, in logs, thread names, events and the Actuator endpoint. */
    private String name = "machina";

    /**
     * Whether the bot runs when the application context starts. False leaves it stopped: the
     * application runs it itself (bot.run()) or starts the context's lifecycle later.
     */
    private boolean autostart = true;

    /**
     * How long stopping the context lets current iterations finish before what is left is cancelled.
     * At most half of spring.lifecycle.timeout-per-shutdown-phase, so the stop ends within the phase.
     */
    private Duration gracePeriod = Duration.ofSeconds(10);

    /** Concurrent groups by name, registered in this order before the application's configurers run. */
    private Map<String, Group> groups = new LinkedHashMap<>();

    /**
     * Retry policies by name, for @Execute(retry = "name"); the one named "default" applies to every
     * @Execute that names none.
     */
    private Map<String, RetryPolicy> retries = new LinkedHashMap<>();

    /** What applies to every emit. */
    private final Emits emits = new Emits();

    /** Groups and singleton emits shared by a fleet through Redis. */
    private final Redis redis = new Redis();

    /** The bot's health indicator (Actuator). */
    private final Health health = new Health();

    /**
     * Reads the bot's name.
     *
     * @return the bot's name
     */
    public String getName() {
        return name;
    }

    /**
     * Sets the bot's name.
     *
     * @param name the bot's name
     */
    public void setName(String name) {
        this.name = name;
    }

    /**
     * Reads whether the bot runs when the context starts.
     *
     * @return whether the bot runs when the context starts
     */
    public boolean isAutostart() {
        return autostart;
    }

    /**
     * Sets whether the bot runs when the context starts.
     *
     * @param autostart whether the bot runs when the context starts
     */
    public void setAutostart(boolean autostart) {
        this.autostart = autostart;
    }

    /**
     * Reads how long a stop lets iterations finish.
     *
     * @return how long a stop lets iterations finish
     */
    public Duration getGracePeriod() {
        return gracePeriod;
    }

    /**
     * Sets how long a stop lets iterations finish.
     *
     * @param gracePeriod how long a stop lets iterations finish
     */
    public void setGracePeriod(Duration gracePeriod) {
        this.gracePeriod = gracePeriod;
    }

    /**
     * Reads the groups by name, in the order they are registered.
     *
     * @return the groups by name, in the order they are registered
     */
    public Map<String, Group> getGroups() {
        return groups;
    }

    /**
     * Sets the groups by name.
     *
     * @param groups the groups by name
     */
    public void setGroups(Map<String, Group> groups) {
        this.groups = groups;
    }

    /**
     * Reads the retry policies by name.
     *
     * @return the retry policies by name
     */
    public Map<String, RetryPolicy> getRetries() {
        return retries;
    }

    /**
     * Sets the retry policies by name.
     *
     * @param retries the retry policies by name
     */
    public void setRetries(Map<String, RetryPolicy> retries) {
        this.retries = retries;
    }

    /**
     * Reads what applies to every emit.
     *
     * @return what applies to every emit
     */
    public Emits getEmits() {
        return emits;
    }

    /**
     * Reads the Redis settings.
     *
     * @return the Redis settings
     */
    public Redis getRedis() {
        return redis;
    }

    /**
     * Reads the health indicator's settings.
     *
     * @return the health indicator's settings
     */
    public Health getHealth() {
        return health;
    }

    /** One concurrent group: {@code exmachina.groups.<name>.*}. */
    public static class Group {

        /** A group with no limit, before binding. */
        public Group() {}

        /** Attempts in flight at once; unset for no limit. */
        private @Nullable Integer concurrency;

        /** Attempts that may start in any sliding window; used with window. */
        private int callsPerWindow = 1;

        /** The sliding window of calls-per-window; 0 (the default) for no time limit. */
        private Duration window = Duration.ZERO;

        /**
         * Where a start counts in the window: START (at the instant the attempt starts) or COMPLETION
         * (until a window after the attempt ended).
         */
        private GroupLimits.WindowAnchor anchor = GroupLimits.WindowAnchor.START;

        /**
         * The limits these properties describe, as the builder would make them.
         *
         * @return {@code new GroupLimits(concurrency, callsPerWindow, window, anchor)}
         * @throws IllegalArgumentException if a value is out of range
         */
        public GroupLimits toLimits() {
            return new GroupLimits(concurrency, callsPerWindow, window, anchor);
        }

        /**
         * Reads attempts in flight at once, or {@code null} for no limit.
         *
         * @return attempts in flight at once, or {@code null} for no limit
         */
        public @Nullable Integer getConcurrency() {
            return concurrency;
        }

        /**
         * Sets attempts in flight at once, or {@code null} for no limit.
         *
         * @param concurrency attempts in flight at once, or {@code null} for no limit
         */
        public void setConcurrency(@Nullable Integer concurrency) {
            this.concurrency = concurrency;
        }

        /**
         * Reads starts allowed per window.
         *
         * @return starts allowed per window
         */
        public int getCallsPerWindow() {
            return callsPerWindow;
        }

        /**
         * Sets starts allowed per window.
         *
         * @param callsPerWindow starts allowed per window
         */
        public void setCallsPerWindow(int callsPerWindow) {
            this.callsPerWindow = callsPerWindow;
        }

        /**
         * Reads the sliding window.
         *
         * @return the sliding window
         */
        public Duration getWindow() {
            return window;
        }

        /**
         * Sets the sliding window.
         *
         * @param window the sliding window
         */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /**
         * Reads where a start counts in the window.
         *
         * @return where a start counts in the window
         */
        public GroupLimits.WindowAnchor getAnchor() {
            return anchor;
        }

        /**
         * Sets where a start counts in the window.
         *
         * @param anchor where a start counts in the window
         */
        public void setAnchor(GroupLimits.WindowAnchor anchor) {
            this.anchor = anchor;
        }
    }

    /** A retry policy: {@code exmachina.retries.<name>.*}. */
    public static class RetryPolicy {

        /** A policy with no rule (no retry), before binding. */
        public RetryPolicy() {}

        /** The rules, asked in this order when an attempt fails; the first that applies decides the wait. */
        private List<Rule> rules = new ArrayList<>();

        /**
         * The policy these properties describe, as the builder would make it.
         *
         * @return {@code Retry.of(rules)}, each rule as {@link Rule#toRule()} makes it
         * @throws IllegalArgumentException if a rule is out of range
         */
        public Retry toRetry() {
            return Retry.of(rules.stream().<RetryRule<?>>map(Rule::toRule).toList());
        }

        /**
         * Reads the rules, in order.
         *
         * @return the rules, in order
         */
        public List<Rule> getRules() {
            return rules;
        }

        /**
         * Sets the rules, in order.
         *
         * @param rules the rules, in order
         */
        public void setRules(List<Rule> rules) {
            this.rules = rules;
        }
    }

    /** The kinds of {@link RetryRule}. */
    public enum RuleKind {
        /** {@link RetryRule#fixed}: always {@code wait}. */
        FIXED,
        /** {@link RetryRule#fibonacci}: 1, 1, 2, 3, 5, … times {@code unit}. */
        FIBONACCI,
        /** {@link RetryRule#range}: uniform in [{@code min}, {@code max}]. */
        RANGE,
        /** {@link RetryRule#exponentialAndJitter}: {@code base}, then full jitter up to {@code cap}. */
        EXPONENTIAL_AND_JITTER
    }

    /** One rule of a retry policy. */
    public static class Rule {

        /** An exponential-and-jitter rule for any Exception, before binding. */
        public Rule() {}

        /** The kind of wait: FIXED, FIBONACCI, RANGE or EXPONENTIAL_AND_JITTER. */
        private RuleKind kind = RuleKind.EXPONENTIAL_AND_JITTER;

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
        public RuleKind getKind() {
            return kind;
        }

        /**
         * Sets the kind of wait.
         *
         * @param kind the kind of wait
         */
        public void setKind(RuleKind kind) {
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

    /** What applies to every emit: {@code exmachina.emits.*}. */
    public static class Emits {

        /** The defaults, before binding. */
        public Emits() {}

        /**
         * Whether the bot starts the emits whose @Emit says autostart (the default); false starts none,
         * and handlers start them with event.start(name).
         */
        private boolean autostart = true;

        /**
         * Reads whether annotated emits start with the bot.
         *
         * @return whether annotated emits start with the bot
         */
        public boolean isAutostart() {
            return autostart;
        }

        /**
         * Sets whether annotated emits start with the bot.
         *
         * @param autostart whether annotated emits start with the bot
         */
        public void setAutostart(boolean autostart) {
            this.autostart = autostart;
        }
    }

    /** Sharing through Redis: {@code exmachina.redis.*}. */
    public static class Redis {

        /** The defaults, before binding. */
        public Redis() {}

        /**
         * Whether groups and singleton emits are shared through Redis when exmachina-redis and a Jedis
         * client bean (UnifiedJedis) are present.
         */
        private boolean enabled = true;

        /** The prefix of every key and channel: the processes of one fleet use the same. */
        private String prefix = "exmachina";

        /** How long a group slot's lease lives without renewal: a dead process frees its slots within it. */
        private Duration leaseTtl = Duration.ofSeconds(10);

        /** How long a singleton emit's lease lives without renewal: another process takes over within it. */
        private Duration singletonTtl = Duration.ofSeconds(10);

        /**
         * Reads whether sharing is on.
         *
         * @return whether sharing is on
         */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Sets whether sharing is on.
         *
         * @param enabled whether sharing is on
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /**
         * Reads the key prefix.
         *
         * @return the key prefix
         */
        public String getPrefix() {
            return prefix;
        }

        /**
         * Sets the key prefix.
         *
         * @param prefix the key prefix
         */
        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        /**
         * Reads a group slot's lease time to live.
         *
         * @return a group slot's lease time to live
         */
        public Duration getLeaseTtl() {
            return leaseTtl;
        }

        /**
         * Sets a group slot's lease time to live.
         *
         * @param leaseTtl a group slot's lease time to live
         */
        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }

        /**
         * Reads a singleton emit's lease time to live.
         *
         * @return a singleton emit's lease time to live
         */
        public Duration getSingletonTtl() {
            return singletonTtl;
        }

        /**
         * Sets a singleton emit's lease time to live.
         *
         * @param singletonTtl a singleton emit's lease time to live
         */
        public void setSingletonTtl(Duration singletonTtl) {
            this.singletonTtl = singletonTtl;
        }
    }

    /** The health indicator: {@code exmachina.health.*}. Never DOWN unless told here. */
    public static class Health {

        /** Never DOWN, before binding. */
        public Health() {}

        /**
         * Per group, the most attempts that may wait before the health is DOWN; a group not listed
         * never makes it DOWN.
         */
        private Map<String, Integer> maxWaiting = new LinkedHashMap<>();

        /** Whether a bot stopped by a failure makes the health DOWN (by default it is shown, UP). */
        private boolean downOnFailure;

        /**
         * Reads the most waiting attempts per group.
         *
         * @return the most waiting attempts per group
         */
        public Map<String, Integer> getMaxWaiting() {
            return maxWaiting;
        }

        /**
         * Sets the most waiting attempts per group.
         *
         * @param maxWaiting the most waiting attempts per group
         */
        public void setMaxWaiting(Map<String, Integer> maxWaiting) {
            this.maxWaiting = maxWaiting;
        }

        /**
         * Reads whether a failed bot is DOWN.
         *
         * @return whether a failed bot is DOWN
         */
        public boolean isDownOnFailure() {
            return downOnFailure;
        }

        /**
         * Sets whether a failed bot is DOWN.
         *
         * @param downOnFailure whether a failed bot is DOWN
         */
        public void setDownOnFailure(boolean downOnFailure) {
            this.downOnFailure = downOnFailure;
        }
    }
}
