/** Internal: the observer seam every event goes through, and its slf4j logging. Not exported. */
@NullMarked
package dev.exmachina.core.internal.observe;

import org.jspecify.annotations.NullMarked;
