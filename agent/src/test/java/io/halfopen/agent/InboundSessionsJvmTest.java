package io.halfopen.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.agent.programs.SessionServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sessions=on} with XP Home's limit of 5 remote computers: seven "computers" (loopback source addresses
 * 127.0.0.2 to 127.0.0.8) connect to a server in the child; the first five are greeted, the other two are closed
 * at once without a word and the child logs system error 71; a second connection from an admitted computer joins
 * its session and is greeted; the server itself never sees the two refused ones.
 */
@Tag("child-jvm")
class InboundSessionsJvmTest {

    private static String greeting(final String computer, final int port) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(computer), 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(5000);
            try {
                final String line = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII)).readLine();
                return line == null ? "closed" : line;
            } catch (final java.net.SocketException reset) {
                return "closed";
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"socket", "channel", "selector"})
    void theSixthComputerIsTurnedAwayWithError71(final String mode) throws Exception {
        try (ChildJvm.Running child = ChildJvm.start(List.of(ChildJvm.javaagent("profile=XP_HOME_SP2,sessions=on")),
                SessionServer.class, mode)) {
            final int port = Integer.parseInt(child.awaitLine("READY", Duration.ofSeconds(30)).replaceAll(".*port=", ""));
            final List<String> seen = new ArrayList<>();
            for (int i = 2; i <= 8; i++) {
                seen.add(greeting("127.0.0." + i, port));
            }
            final String again = greeting("127.0.0.2", port);
            child.send("DONE");
            final ChildJvm.Result result = child.await(Duration.ofSeconds(30));
            System.out.println("sessions (" + mode + "): " + seen + ", 127.0.0.2 again: " + again + "; child "
                    + result.result());
            assertEquals(List.of("hello", "hello", "hello", "hello", "hello", "closed", "closed"), seen,
                    result::toString);
            assertTrue(result.stderr().contains("System error 71"), result::toString);
            assertEquals("hello", again, "a computer with a session is never refused");
            assertEquals(6, result.count("accepted"), result::toString);
        }
    }
}
