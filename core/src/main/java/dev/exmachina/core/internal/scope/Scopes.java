package dev.exmachina.core.internal.scope;

import dev.exmachina.core.BotClock;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Opens the scopes every emit and fork runs in, choosing once per JVM: {@code StructuredTaskScope}
 * ({@link TaskScope}) where the JVM can load it — JDK 25 started with {@code --enable-preview} —
 * else a {@link VirtualThreadScope}, with the same guarantees, on every other JVM from 21.
 *
 * <p>{@code TaskScope} is a JDK 25 entry of the multi-release jar, compiled with
 * {@code --enable-preview}: on JDK 21 to 24 it is not there, on JDK 25 without the flag and on later
 * JDKs (which refuse JDK 25's preview class files) loading it fails. Either way the failure is
 * caught here, once, and the plain scope is used; a DEBUG line says which. The system property
 * {@code dev.exmachina.scope=plain} chooses the plain scope everywhere (to compare the two, or where
 * a preview API is not wanted even though the flag is on).
 */
public final class Scopes {

    private static final String TASK_SCOPE = "dev.exmachina.core.internal.scope.TaskScope";
    /** {@code -Ddev.exmachina.scope=plain} asks for plain scopes even where StructuredTaskScope loads. */
    public static final String SCOPE_PROPERTY = "dev.exmachina.scope";
    private static final @Nullable MethodHandle STRUCTURED = findStructured();

    private Scopes() {}

    private static @Nullable MethodHandle findStructured() {
        String why;
        if ("plain".equals(System.getProperty(SCOPE_PROPERTY))) {
            LoggerFactory.getLogger(Scopes.class).atDebug()
                    .log("supervisors run on plain virtual threads: -D{}=plain", SCOPE_PROPERTY);
            return null;
        }
        try {
            Class<?> type = Class.forName(TASK_SCOPE, true, Scopes.class.getClassLoader());
            MethodHandle constructor = MethodHandles.lookup().findConstructor(type,
                    MethodType.methodType(void.class, BotClock.class, String.class, Consumer.class));
            LoggerFactory.getLogger(Scopes.class).atDebug()
                    .log("supervisors run on StructuredTaskScope (JDK {} with --enable-preview)", Runtime.version().feature());
            return constructor.asType(MethodType.methodType(Scope.class, BotClock.class, String.class, Consumer.class));
        } catch (ClassNotFoundException e) {
            why = "no JDK 25 entry of the multi-release jar for JDK " + Runtime.version().feature();
        } catch (LinkageError | ReflectiveOperationException e) {
            why = e.toString(); // e.g. UnsupportedClassVersionError: preview features not enabled
        }
        LoggerFactory.getLogger(Scopes.class).atDebug()
                .log("supervisors run on plain virtual threads: StructuredTaskScope not available ({})", why);
        return null;
    }

    /** Whether scopes are StructuredTaskScopes in this JVM (else plain virtual-thread scopes). */
    public static boolean structured() {
        return STRUCTURED != null;
    }

    /**
     * Opens a scope owned by the current thread.
     *
     * @param escaped told, on the task's thread, of anything a task throws; must not throw
     */
    public static Scope open(BotClock clock, String name, Consumer<Throwable> escaped) {
        MethodHandle structured = STRUCTURED;
        if (structured == null) {
            return new VirtualThreadScope(clock, name, escaped);
        }
        try {
            return (Scope) structured.invokeExact(clock, name, escaped);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("could not open a StructuredTaskScope", t);
        }
    }
}
