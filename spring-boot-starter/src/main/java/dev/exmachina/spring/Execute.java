package dev.exmachina.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Makes a bean method an execute of the application's bot: a one-shot task that takes its
 * concurrent groups and retries by a policy, called by name from any emit with
 * {@code event.execute("quote", argument)}, as {@link dev.exmachina.core.Machina#execute} registers
 * one.
 *
 * <pre>{@code
 * @Execute(name = "quote", groups = "exchange", retry = "network")
 * Price quote(String symbol) throws IOException { ... }
 * }</pre>
 *
 * <p>The method takes one argument (what the caller passes) or none, and its result is what the
 * caller's {@code join()} returns. Groups come from {@code exmachina.groups.*} or from a
 * {@link MachinaConfigurer}; retry policies from {@code exmachina.retries.*}. An unknown group or
 * policy, a second execute of the same name or a method with more parameters fails the context start
 * with a message naming the bean and the method.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Execute {

    /**
     * The execute's name, unique among the bot's executes.
     *
     * @return the name; empty (the default) for the method's name
     */
    String name() default "";

    /**
     * The concurrent groups each attempt takes (in the order the groups were registered, whatever
     * the order here).
     *
     * @return the groups' names; none by default
     */
    String[] groups() default {};

    /**
     * The retry policy, by its name under {@code exmachina.retries}.
     *
     * @return the policy's name; empty (the default) for the policy named {@code default} if there
     *     is one, else no retry
     */
    String retry() default "";
}
