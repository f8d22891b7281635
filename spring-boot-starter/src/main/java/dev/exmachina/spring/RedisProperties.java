package dev.exmachina.spring;

import java.time.Duration;

/** Sharing through Redis: {@code exmachina.redis.*}. */
public class RedisProperties {

    /** The defaults, before binding. */
    public RedisProperties() {}

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
