package dev.exmachina.spring;

import java.util.LinkedHashMap;
import java.util.Map;

/** The health indicator: {@code exmachina.health.*}. Never DOWN unless told here. */
public class HealthProperties {

    /** Never DOWN, before binding. */
    public HealthProperties() {}

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
