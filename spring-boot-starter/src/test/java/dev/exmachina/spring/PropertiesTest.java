package dev.exmachina.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import dev.exmachina.retry.Retry;
import dev.exmachina.retry.RetryRule;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The exmachina.* properties bind to the same value objects the Java builder takes. */
class PropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(MachinaAutoConfiguration.class))
            .withPropertyValues("exmachina.autostart=false");

    @Test
    void groupPropertiesBindToTheLimitsTheBuilderMakes() {
        runner.withPropertyValues(
                "exmachina.name=trader",
                "exmachina.groups.exchange.concurrency=5",
                "exmachina.groups.exchange.calls-per-window=5",
                "exmachina.groups.exchange.window=1s",
                "exmachina.groups.exchange.anchor=completion",
                "exmachina.groups.database.concurrency=2").run(context -> {
                    MachinaProperties properties = context.getBean(MachinaProperties.class);
                    GroupLimits exchange = GroupLimits.concurrency(5).perWindow(5, "1s").anchoredAtCompletion();
                    GroupLimits database = GroupLimits.concurrency(2);
                    assertThat(properties.getGroups().get("exchange").toLimits()).isEqualTo(exchange);
                    assertThat(properties.getGroups().get("database").toLimits()).isEqualTo(database);

                    Machina bot = context.getBean(Machina.class);
                    assertThat(bot.name()).isEqualTo("trader");
                    assertThat(bot.concurrentGroups()).extracting(g -> g.name(), g -> g.limits())
                            .containsExactly(org.assertj.core.groups.Tuple.tuple("exchange", exchange),
                                    org.assertj.core.groups.Tuple.tuple("database", database));
                });
    }

    @Test
    void retryPropertiesBindToTheRulesTheBuilderMakes() {
        runner.withPropertyValues(
                "exmachina.retries.network.rules[0].kind=fixed",
                "exmachina.retries.network.rules[0].exception=java.util.concurrent.TimeoutException",
                "exmachina.retries.network.rules[0].wait-time=10s",
                "exmachina.retries.network.rules[0].retries=3",
                "exmachina.retries.network.rules[1].kind=exponential-and-jitter",
                "exmachina.retries.network.rules[1].exception=java.io.IOException",
                "exmachina.retries.network.rules[1].base=100ms",
                "exmachina.retries.network.rules[1].cap=1s",
                "exmachina.retries.network.rules[1].retries=8",
                "exmachina.retries.slow.rules[0].kind=fibonacci",
                "exmachina.retries.slow.rules[0].unit=2s",
                "exmachina.retries.jitter.rules[0].kind=range",
                "exmachina.retries.jitter.rules[0].min=1s",
                "exmachina.retries.jitter.rules[0].max=3s").run(context -> {
                    Map<String, RetryProperties> retries = context.getBean(MachinaProperties.class).getRetries();
                    Retry network = Retry.of(
                            RetryRule.fixed(TimeoutException.class, Duration.ofSeconds(10)).retries(3),
                            RetryRule.exponentialAndJitter(IOException.class).base(Duration.ofMillis(100))
                                    .cap(Duration.ofSeconds(1)).retries(8));
                    assertThat(retries.get("network").toRetry().rules()).isEqualTo(network.rules());
                    assertThat(retries.get("slow").toRetry().rules())
                            .isEqualTo(List.of(RetryRule.fibonacci(Exception.class).unit(Duration.ofSeconds(2))));
                    assertThat(retries.get("jitter").toRetry().rules())
                            .isEqualTo(List.of(RetryRule.range(Exception.class, Duration.ofSeconds(1), Duration.ofSeconds(3))));
                });
    }

    @Test
    void aGroupOutOfRangeFailsTheStartNamingTheProperty() {
        runner.withPropertyValues("exmachina.groups.exchange.concurrency=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("concurrency must be >= 1, was 0");
            assertThat(context.getStartupFailure()).hasStackTraceContaining("exmachina.groups.exchange");
        });
    }

    @Test
    void everyPropertyInTheGeneratedMetadataHasADescription() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated metadata on the class path").isNotNull();
            Object json = JsonPath.parse(in).json();
            List<Map<String, Object>> properties = JsonPath.read(json, "$.properties[*]");
            List<Object> names = properties.stream().map(p -> p.get("name")).toList();
            List<Object> undocumented = properties.stream()
                    .filter(p -> !(p.get("description") instanceof String d) || d.isBlank())
                    .map(p -> p.get("name")).toList();
            assertThat(names).contains("exmachina.groups", "exmachina.retries", "exmachina.grace-period",
                    "exmachina.emits.autostart", "exmachina.redis.enabled", "exmachina.health.max-waiting");
            assertThat(undocumented).isEmpty();
        }
    }
}
