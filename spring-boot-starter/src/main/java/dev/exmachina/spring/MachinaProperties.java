package dev.exmachina.spring;

import dev.exmachina.core.GroupLimits;
import dev.exmachina.retry.Retry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code exmachina.*} properties. Each part binds to the value object the Java builder takes:
 * a group to {@link GroupLimits} ({@link GroupProperties#toLimits}), a retry policy to {@link Retry}
 * ({@link RetryProperties#toRetry}), so a property and its builder call mean the same thing.
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
    private Map<String, GroupProperties> groups = new LinkedHashMap<>();

    /**
     * Retry policies by name, for @Execute(retry = "name"); the one named "default" applies to every
     * @Execute that names none.
     */
    private Map<String, RetryProperties> retries = new LinkedHashMap<>();

    /** What applies to every emit. */
    @NestedConfigurationProperty
    private final EmitProperties emits = new EmitProperties();

    /** Groups and singleton emits shared by a fleet through Redis. */
    @NestedConfigurationProperty
    private final RedisProperties redis = new RedisProperties();

    /** The bot's health indicator (Actuator). */
    @NestedConfigurationProperty
    private final HealthProperties health = new HealthProperties();

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
    public Map<String, GroupProperties> getGroups() {
        return groups;
    }

    /**
     * Sets the groups by name.
     *
     * @param groups the groups by name
     */
    public void setGroups(Map<String, GroupProperties> groups) {
        this.groups = groups;
    }

    /**
     * Reads the retry policies by name.
     *
     * @return the retry policies by name
     */
    public Map<String, RetryProperties> getRetries() {
        return retries;
    }

    /**
     * Sets the retry policies by name.
     *
     * @param retries the retry policies by name
     */
    public void setRetries(Map<String, RetryProperties> retries) {
        this.retries = retries;
    }

    /**
     * Reads what applies to every emit.
     *
     * @return what applies to every emit
     */
    public EmitProperties getEmits() {
        return emits;
    }

    /**
     * Reads the Redis settings.
     *
     * @return the Redis settings
     */
    public RedisProperties getRedis() {
        return redis;
    }

    /**
     * Reads the health indicator's settings.
     *
     * @return the health indicator's settings
     */
    public HealthProperties getHealth() {
        return health;
    }
}
