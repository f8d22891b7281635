/** Internal: the attempt loop of an execute (groups, retry) and forked handles. Not exported. */
@NullMarked
package dev.exmachina.core.internal.execute;

import org.jspecify.annotations.NullMarked;
