package dev.exmachina.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.exmachina.core.Execute;
import dev.exmachina.core.ExecuteOptions;
import dev.exmachina.core.GroupLimits;
import dev.exmachina.core.Machina;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/** A decision waiting for one of the client's connections gives up when its thread is interrupted. */
@Tag("realtime") // real sockets and real time: in -Pfull (CI), not the quick build
class InterruptTest {

    @Test
    void aDecisionWaitingForAConnectionEndsWhenInterrupted() throws Exception {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        // A server that never answers a command: every call sent to it hangs until the socket timeout.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        Socket socket = silent.accept();
                        accepted.add(socket);
                        Thread.ofVirtual().start(() -> refuseHandshakeThenHang(socket));
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            RedisClient client = RedisClient.builder().hostAndPort("127.0.0.1", silent.getLocalPort())
                    .clientConfig(DefaultJedisClientConfig.builder().socketTimeoutMillis(60_000).build()).build();
            RedisGroups groups = RedisGroups.builder(client).prefix("i1").build();
            Machina bot = Machina.builder().groupBackend(groups).build();
            try {
                bot.concurrentGroup("api", GroupLimits.concurrency(100));
                Execute<Integer, Integer> call = bot.execute("call", ExecuteOptions.groups("api"), x -> x);
                List<Thread> hanging = new ArrayList<>();
                for (int i = 0; i < 7; i++) { // the pool's 8 connections, less the one kept for the subscription
                    hanging.add(Thread.ofVirtual().start(() -> attempt(call, new AtomicReference<>())));
                }
                while (accepted.size() < 7) {
                    Thread.sleep(10); // every permit is taken by a call hanging on its connection
                }
                var failure = new AtomicReference<Throwable>();
                Thread waiting = Thread.ofVirtual().start(() -> attempt(call, failure));
                Thread.sleep(200); // it waits for a permit now
                assertTrue(waiting.isAlive(), "the eighth call waits for a connection");
                long interrupted = System.nanoTime();
                waiting.interrupt();
                waiting.join(Duration.ofSeconds(10));
                long endedMs = (System.nanoTime() - interrupted) / 1_000_000;
                assertFalse(waiting.isAlive(), "still waiting 10 s after its interrupt (the socket timeout is 60 s)");
                System.out.println("[interrupt] a decision waiting for a connection ended " + endedMs + " ms after its interrupt: "
                        + failure.get());
                assertNotNull(failure.get(), "the interrupted call failed");
                hanging.forEach(Thread::interrupt); // a virtual thread's socket read ends when it is interrupted
                for (Thread t : hanging) {
                    t.join(Duration.ofSeconds(10));
                    assertFalse(t.isAlive(), "a call hanging on its socket did not end when interrupted");
                }
            } finally {
                bot.close();
                groups.close();
                client.close();
                silent.close();
                acceptor.join(Duration.ofSeconds(5));
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /**
     * Answers the client's handshake commands (HELLO, CLIENT) with an error, which it takes as an old
     * server, and then nothing: the first other command, and all after it, wait for their socket timeout.
     */
    private static void refuseHandshakeThenHang(Socket socket) {
        try {
            var in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var out = socket.getOutputStream();
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("*")) {
                    continue;
                }
                int parts = Integer.parseInt(line.substring(1));
                in.readLine(); // $length of the command's name
                String name = in.readLine();
                if (!name.equalsIgnoreCase("HELLO") && !name.equalsIgnoreCase("CLIENT")) {
                    return; // a real command: never answered (its arguments may span lines: stop reading)
                }
                for (int i = 1; i < parts; i++) {
                    in.readLine();
                    in.readLine();
                }
                out.write("-ERR unknown command\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException closed) {
            // the test closed it
        }
    }

    private static void attempt(Execute<Integer, Integer> call, AtomicReference<Throwable> failure) {
        try {
            call.call(1);
        } catch (Throwable t) {
            failure.set(t);
        }
    }
}
