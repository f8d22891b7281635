package dev.exmachina.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A bot inside a Spring Boot web application: {@link QuoteBot}'s emits run with the application,
 * its calls go through the group {@code exchange} of {@code application.yml}, and Actuator shows
 * the bot at {@code /actuator/exmachina} and {@code /actuator/health}.
 */
@SpringBootApplication
public class QuoteBotApplication {

    /**
     * Starts the application on port 8080 (or {@code --server.port=…}).
     *
     * @param args Spring Boot's arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(QuoteBotApplication.class, args);
    }
}
