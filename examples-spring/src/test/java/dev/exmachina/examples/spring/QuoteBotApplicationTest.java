package dev.exmachina.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.exmachina.micrometer.MachinaMetrics;
import dev.exmachina.spring.MachinaLifecycle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;

/** The example application starts on a random port, and Actuator answers for its bot. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.main.banner-mode=off")
@DirtiesContext
class QuoteBotApplicationTest {

    @Value("${local.server.port}")
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theExmachinaEndpointListsTheBotsEmitsAndGroups() throws Exception {
        HttpResponse<String> response = get("/actuator/exmachina");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"quotes\"", "\"running\":true", "\"name\":\"prices\"",
                "\"name\":\"report\"", "\"name\":\"exchange\"", "\"concurrency\":2", "\"callsPerWindow\":5",
                "\"windowUse\":[{\"limit\":5,\"length\":\"PT1S\",\"anchor\":\"START\",\"used\":");
    }

    @Test
    void theHealthIsUpAndShowsTheBot() throws Exception {
        HttpResponse<String> response = get("/actuator/health");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"", "\"exmachina\"");
    }

    @Autowired
    ApplicationContext context;

    @Test
    void theBotsEventsAreMetersInTheApplicationsRegistry() {
        assertThat(context.getBeansOfType(MachinaMetrics.class)).hasSize(1);
    }

    @Test
    void theBotStopsBeforeTheWebServerBeginsItsGracefulShutdown() {
        assertThat(MachinaLifecycle.PHASE).isGreaterThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE);
    }
}
