package dev.exmachina.spring;

import dev.exmachina.core.EmitMode;
import dev.exmachina.core.EmitOptions;
import dev.exmachina.core.Event;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.Intervals;
import dev.exmachina.core.Machina;
import dev.exmachina.core.Schedule;
import dev.exmachina.core.Supervision;
import dev.exmachina.retry.Retry;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Finds {@link Emit @Emit} and {@link Execute @Execute} methods on the context's beans and registers
 * them on the bot once every singleton exists (the bot's groups and configurers first). What can be
 * checked alone (an interval, a count, the parameters) is checked as each bean is made, so a bad
 * annotation fails at its bean; the rest (a group, a retry policy, a name taken) when it is
 * registered. Either way the context does not start, and the message names the bean and the method.
 *
 * <p><b>Concurrency.</b> Spring makes singletons and calls these callbacks from one thread; the list
 * of found methods is touched by no other.
 */
final class AnnotatedMethods implements BeanPostProcessor, SmartInitializingSingleton, BeanFactoryAware {

    private static final Logger LOG = LoggerFactory.getLogger(AnnotatedMethods.class);

    private record Found(String beanName, Object bean, Method method, @Nullable Emit emit, @Nullable Execute execute,
            @Nullable EmitOptions options) {
        String where() {
            return "bean '" + beanName + "' method " + method.getDeclaringClass().getSimpleName() + "." + method.getName()
                    + "(" + String.join(", ", java.util.Arrays.stream(method.getParameterTypes())
                            .map(Class::getSimpleName).toList()) + ")";
        }
    }

    private final List<Found> found = new ArrayList<>();
    private @Nullable BeanFactory beanFactory;
    /** Set once the found methods are registered: a bean made later (lazy, prototype) is too late. */
    private boolean registered;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> type = AopUtils.getTargetClass(bean);
        Map<Method, Emit> emits = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Emit>) m -> AnnotatedElementUtils.findMergedAnnotation(m, Emit.class));
        Map<Method, Execute> executes = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Execute>) m -> AnnotatedElementUtils.findMergedAnnotation(m, Execute.class));
        if (registered && !(emits.isEmpty() && executes.isEmpty())) {
            throw new BeanCreationException(beanName, "@Emit or @Execute on bean '" + beanName + "' ("
                    + type.getName() + "), made after the bot was set up: a lazy or prototype bean cannot add to"
                    + " the bot; make it an eager singleton, or register in a MachinaConfigurer");
        }
        executes.forEach((method, execute) -> {
            Found f = new Found(beanName, bean, invocable(method, bean), null, execute, null);
            if (method.getParameterCount() > 1) {
                throw new BeanCreationException(beanName, "@Execute on " + f.where()
                        + ": the method must take one argument (what the caller passes) or none");
            }
            found.add(f);
        });
        emits.forEach((method, emit) -> {
            Found f = new Found(beanName, bean, invocable(method, bean), emit, null, null);
            Class<?>[] params = method.getParameterTypes();
            if (params.length > 1 || params.length == 1 && params[0] != Event.class) {
                throw new BeanCreationException(beanName, "@Emit on " + f.where()
                        + ": the method must take one dev.exmachina.core.Event or nothing");
            }
            try {
                found.add(new Found(beanName, f.bean(), f.method(), emit, null, options(emit)));
            } catch (IllegalArgumentException e) {
                throw new BeanCreationException(beanName, "@Emit on " + f.where() + ": " + e.getMessage(), e);
            }
        });
        return bean;
    }

    private static Method invocable(Method method, Object bean) {
        Method m = AopUtils.selectInvocableMethod(method, bean.getClass());
        m.setAccessible(true);
        return m;
    }

    private static EmitOptions options(Emit emit) {
        EmitOptions options = (emit.cron().isBlank() ? EmitOptions.schedule(fixed(emit)) : EmitOptions.schedule(cron(emit)))
                .supervision(emit.onFailure() == Emit.OnFailure.LOG_AND_CONTINUE
                        ? Supervision.logAndContinue() : Supervision.stopBot());
        if (emit.count() < -1) {
            throw new IllegalArgumentException("count must be >= 0, or -1 for forever, was " + emit.count());
        }
        return emit.count() == -1 ? options : options.count(emit.count());
    }

    private static Schedule fixed(Emit emit) {
        Duration interval = emit.every().isBlank() ? Duration.ZERO : Intervals.parse(emit.every());
        if (!emit.zone().isBlank()) {
            throw new IllegalArgumentException("zone \"" + emit.zone() + "\" is read by a cron schedule only: add cron, or"
                    + " remove zone");
        }
        return emit.mode() == EmitMode.ENTIRE ? Schedule.fixedRate(interval).misfire(emit.misfire())
                : Schedule.fixedDelay(interval);
    }

    private static Schedule cron(Emit emit) {
        if (!emit.every().isBlank() || emit.mode() != EmitMode.AFTER) {
            throw new IllegalArgumentException("cron \"" + emit.cron() + "\" says when the iterations run: remove every = \""
                    + emit.every() + "\" and mode = " + emit.mode());
        }
        ZoneId zone;
        try {
            zone = emit.zone().isBlank() ? ZoneId.systemDefault() : ZoneId.of(emit.zone());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("zone \"" + emit.zone() + "\" is not a time zone (" + e.getMessage()
                    + "): use an id such as \"Europe/Paris\" or \"UTC\"", e);
        }
        return Schedule.cron(emit.cron(), zone).misfire(emit.misfire());
    }

    @Override
    public void afterSingletonsInstantiated() {
        BeanFactory factory = Objects.requireNonNull(beanFactory, "beanFactory");
        Machina bot = factory.getBean(Machina.class);
        MachinaProperties properties = factory.getBean(MachinaProperties.class);
        @Nullable EmitLeases leases = factory.getBeanProvider(EmitLeases.class).getIfUnique();
        for (Found f : found) {
            if (f.execute() != null) {
                registerExecute(bot, properties, f, f.execute());
            }
        }
        for (Found f : found) {
            if (f.emit() != null) {
                registerEmit(bot, properties, leases, f, f.emit(), Objects.requireNonNull(f.options()));
            }
        }
        found.clear();
        registered = true;
    }

    private static void registerExecute(Machina bot, MachinaProperties properties, Found f, Execute execute) {
        String name = execute.name().isBlank() ? f.method().getName() : execute.name();
        try {
            List<String> registered = bot.concurrentGroups().stream().map(g -> g.name()).toList();
            for (String group : execute.groups()) {
                if (!registered.contains(group)) {
                    throw new IllegalArgumentException("group '" + group + "' is not registered: add it under exmachina.groups."
                            + group + " or register it in a MachinaConfigurer; registered groups: " + registered);
                }
            }
            Retry retry = retry(properties, execute.retry());
            ExecuteOptions options = ExecuteOptions.groups(execute.groups()).retry(retry);
            bot.execute(name, options, argument -> invoke(f, argument));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("@Execute(name = \"" + name + "\") on " + f.where() + ": " + e.getMessage(), e);
        }
    }

    private static Retry retry(MachinaProperties properties, String name) {
        if (name.isBlank()) {
            RetryProperties fallback = properties.getRetries().get("default");
            return fallback == null ? Retry.none() : fallback.toRetry();
        }
        RetryProperties policy = properties.getRetries().get(name);
        if (policy == null) {
            throw new IllegalArgumentException("retry policy '" + name + "' is not defined: add it under exmachina.retries."
                    + name + ".rules, or name one of " + properties.getRetries().keySet());
        }
        return policy.toRetry();
    }

    private static void registerEmit(Machina bot, MachinaProperties properties, @Nullable EmitLeases leases, Found f,
            Emit emit, EmitOptions options) {
        String name = emit.name().isBlank() ? f.method().getName() : emit.name();
        EmitOptions effective = options.autostart(emit.autostart() && properties.getEmits().isAutostart());
        if (emit.singleton()) {
            if (leases == null) {
                LOG.warn("@Emit(name = \"{}\", singleton = true) on {} runs in every process: no shared leases"
                        + " (add exmachina-redis and a Jedis client bean, with exmachina.redis.enabled=true)", name, f.where());
            } else {
                effective = effective.singleton(leases.lease(name));
            }
        }
        try {
            bot.emit(name, effective, event -> invoke(f, event));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalStateException("@Emit(name = \"" + name + "\") on " + f.where() + ": " + e.getMessage(), e);
        }
    }

    private static @Nullable Object invoke(Found f, @Nullable Object argument) throws Exception {
        try {
            return f.method().getParameterCount() == 0 ? f.method().invoke(f.bean()) : f.method().invoke(f.bean(), argument);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }
}
