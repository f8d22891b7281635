/**
 * Internal: the baton scheduler behind {@link dev.exmachina.testkit.VirtualClock}. Not exported;
 * nothing here is API.
 */
@NullMarked
package dev.exmachina.testkit.internal;

import org.jspecify.annotations.NullMarked;
