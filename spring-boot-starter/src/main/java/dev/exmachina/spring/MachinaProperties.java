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
 *         - { kind: exponential-and-jitter, on: java.io.IOException, retries: 5 }
 * }</pre>
 *
 * <p>Durations take Spring's forms ({@code 500ms}, {@code 1s}, {@code 2m}, ISO-8601 {@code PT1M30S}).
 */
@ConfigurationProperties("exmachina")
public class MachinaProperties {

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

    /** @return the bot's name */
    public String getName() {
        return name;
    }

    /** @param name the bot's name */
    public void setName(String name) {
        this.name = name;
    }

    /** @return whether the bot runs when the context starts */
    public boolean isAutostart() {
        return autostart;
    }

    /** @param autostart whether the bot runs when the context starts */
    public void setAutostart(boolean autostart) {
        this.autostart = autostart;
    }

    /** @return how long a stop lets iterations finish */
    public Duration getGracePeriod() {
        return gracePeriod;
    }

    /** @param gracePeriod how long a stop lets iterations finish */
    public void setGracePeriod(Duration gracePeriod) {
        this.gracePeriod = gracePeriod;
    }

    /** @return the groups by name, in the order they are registered */
    public Map<String, Group> getGroups() {
        return groups;
    }

    /** @param groups the groups by name */
    public void setGroups(Map<String, Group> groups) {
        this.groups = groups;
    }

    /** @return the retry policies by name */
    public Map<String, RetryPolicy> getRetries() {
        return retries;
    }

    /** @param retries the retry policies by name */
    public void setRetries(Map<String, RetryPolicy> retries) {
        this.retries = retries;
    }

    /** @return what applies to every emit */
    public Emits getEmits() {
        return emits;
    }

    /** @return the Redis settings */
    public Redis getRedis() {
        return redis;
    }

    /** @return the health indicator's settings */
    public Health getHealth() {
        return health;
    }

    /** One concurrent group: {@code exmachina.groups.<name>.*}. */
    public static class Group {

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

        /** @return attempts in flight at once, or {@code null} for no limit */
        public @Nullable Integer getConcurrency() {
            return concurrency;
        }

        /** @param concurrency attempts in flight at once, or {@code null} for no limit */
        public void setConcurrency(@Nullable Integer concurrency) {
            this.concurrency = concurrency;
        }

        /** @return starts allowed per window */
        public int getCallsPerWindow() {
            return callsPerWindow;
        }

        /** @param callsPerWindow starts allowed per window */
        public void setCallsPerWindow(int callsPerWindow) {
            this.callsPerWindow = callsPerWindow;
        }

        /** @return the sliding window */
        public Duration getWindow() {
            return window;
        }

        /** @param window the sliding window */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /** @return where a start counts in the window */
        public GroupLimits.WindowAnchor getAnchor() {
            return anchor;
        }

        /** @param anchor where a start counts in the window */
        public void setAnchor(GroupLimits.WindowAnchor anchor) {
            this.anchor = anchor;
        }
    }

    /** A retry policy: {@code exmachina.retries.<name>.*}. */
    public static class RetryPolicy {

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

        /** @return the rules, in order */
        public List<Rule> getRules() {
            return rules;
        }

        /** @param rules the rules, in order */
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

        /** The kind of wait: FIXED, FIBONACCI, RANGE or EXPONENTIAL_AND_JITTER. */
        private RuleKind kind = RuleKind.EXPONENTIAL_AND_JITTER;

        /** The failures this rule handles, subclasses included. */
        private Class<? extends Throwable> on = Exception.class;

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
                case FIXED -> retries(RetryRule.fixed(on, waitTime));
                case FIBONACCI -> retries(RetryRule.fibonacci(on).unit(unit));
                case RANGE -> retries(RetryRule.range(on, min, max));
                case EXPONENTIAL_AND_JITTER -> retries(RetryRule.exponentialAndJitter(on).base(base).cap(cap));
            };
            return rule;
        }

        private RetryRule<?> retries(RetryRule<?> rule) {
            return retries == null ? rule : rule.retries(retries);
        }

        /** @return the kind of wait */
        public RuleKind getKind() {
            return kind;
        }

        /** @param kind the kind of wait */
        public void setKind(RuleKind kind) {
            this.kind = kind;
        }

        /** @return the failures handled */
        public Class<? extends Throwable> getOn() {
            return on;
        }

        /** @param on the failures handled */
        public void setOn(Class<? extends Throwable> on) {
            this.on = on;
        }

        /** @return retries allowed per call, or {@code null} for no limit */
        public @Nullable Integer getRetries() {
            return retries;
        }

        /** @param retries retries allowed per call, or {@code null} for no limit */
        public void setRetries(@Nullable Integer retries) {
            this.retries = retries;
        }

        /** @return FIXED's wait */
        public Duration getWaitTime() {
            return waitTime;
        }

        /** @param waitTime FIXED's wait */
        public void setWaitTime(Duration waitTime) {
            this.waitTime = waitTime;
        }

        /** @return FIBONACCI's unit */
        public Duration getUnit() {
            return unit;
        }

        /** @param unit FIBONACCI's unit */
        public void setUnit(Duration unit) {
            this.unit = unit;
        }

        /** @return RANGE's shortest wait */
        public Duration getMin() {
            return min;
        }

        /** @param min RANGE's shortest wait */
        public void setMin(Duration min) {
            this.min = min;
        }

        /** @return RANGE's longest wait */
        public Duration getMax() {
            return max;
        }

        /** @param max RANGE's longest wait */
        public void setMax(Duration max) {
            this.max = max;
        }

        /** @return EXPONENTIAL_AND_JITTER's first wait */
        public Duration getBase() {
            return base;
        }

        /** @param base EXPONENTIAL_AND_JITTER's first wait */
        public void setBase(Duration base) {
            this.base = base;
        }

        /** @return EXPONENTIAL_AND_JITTER's longest wait */
        public Duration getCap() {
            return cap;
        }

        /** @param cap EXPONENTIAL_AND_JITTER's longest wait */
        public void setCap(Duration cap) {
            this.cap = cap;
        }
    }

    /** What applies to every emit: {@code exmachina.emits.*}. */
    public static class Emits {

        /**
         * Whether the bot starts the emits whose @Emit says autostart (the default); false starts none,
         * and handlers start them with event.start(name).
         */
        private boolean autostart = true;

        /** @return whether annotated emits start with the bot */
        public boolean isAutostart() {
            return autostart;
        }

        /** @param autostart whether annotated emits start with the bot */
        public void setAutostart(boolean autostart) {
            this.autostart = autostart;
        }
    }

    /** Sharing through Redis: {@code exmachina.redis.*}. */
    public static class Redis {

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

        /** @return whether sharing is on */
        public boolean isEnabled() {
            return enabled;
        }

        /** @param enabled whether sharing is on */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        /** @return the key prefix */
        public String getPrefix() {
            return prefix;
        }

        /** @param prefix the key prefix */
        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        /** @return a group slot's lease time to live */
        public Duration getLeaseTtl() {
            return leaseTtl;
        }

        /** @param leaseTtl a group slot's lease time to live */
        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }

        /** @return a singleton emit's lease time to live */
        public Duration getSingletonTtl() {
            return singletonTtl;
        }

        /** @param singletonTtl a singleton emit's lease time to live */
        public void setSingletonTtl(Duration singletonTtl) {
            this.singletonTtl = singletonTtl;
        }
    }

    /** The health indicator: {@code exmachina.health.*}. Never DOWN unless told here. */
    public static class Health {

        /**
         * Per group, the most attempts that may wait before the health is DOWN; a group not listed
         * never makes it DOWN.
         */
        private Map<String, Integer> maxWaiting = new LinkedHashMap<>();

        /** Whether a bot stopped by a failure makes the health DOWN (by default it is shown, UP). */
        private boolean downOnFailure;

        /** @return the most waiting attempts per group */
        public Map<String, Integer> getMaxWaiting() {
            return maxWaiting;
        }

        /** @param maxWaiting the most waiting attempts per group */
        public void setMaxWaiting(Map<String, Integer> maxWaiting) {
            this.maxWaiting = maxWaiting;
        }

        /** @return whether a failed bot is DOWN */
        public boolean isDownOnFailure() {
            return downOnFailure;
        }

        /** @param downOnFailure whether a failed bot is DOWN */
        public void setDownOnFailure(boolean downOnFailure) {
            this.downOnFailure = downOnFailure;
        }
    }
}
