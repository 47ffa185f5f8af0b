package io.halfopen.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refused and failed connects are told apart by exception type, not by message: the JDK's messages are the C
 * library's {@code strerror} text, which a German locale translates ("Verbindungsaufbau abgelehnt"). A child JVM
 * runs under {@code LC_ALL=de_DE.UTF-8}, with the locale compiled by {@code localedef} into a temporary
 * {@code LOCPATH} if the system lacks it (nothing on the machine changes). The test first checks that the
 * message really is German, so that it cannot pass in a locale where a message-based classifier would pass too.
 */
class NonEnglishLocaleTest {

    private static final String LOCALE = "de_DE.UTF-8";

    @Test
    void aRefusedConnectIsReportedRefusedUnderAGermanLocale(@TempDir final Path dir) throws Exception {
        final List<String> env = germanLocale(dir);
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        final ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp",
                System.getProperty("java.class.path"), Child.class.getName()).redirectErrorStream(true);
        builder.environment().put("LC_ALL", LOCALE);
        builder.environment().put("LANG", LOCALE);
        if (!env.isEmpty()) {
            builder.environment().put("LOCPATH", env.get(0));
        }
        final Process child = builder.start();
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end: " + out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("message=") && !out.contains("Connection refused"),
                "the connect's message must be translated, or this test proves nothing: " + out);
        assertTrue(out.contains("abgelehnt"), "expected glibc's German text for ECONNREFUSED: " + out);
        assertTrue(out.contains("refused=1 failed=0"), "classified by type, whatever the language: " + out);
    }

    /** Returns the LOCPATH to use (empty if the system has the locale), or skips where it cannot be made. */
    private static List<String> germanLocale(final Path dir) throws Exception {
        final List<String> locpath = new ArrayList<>();
        if (run(List.of("locale", "-a")).toLowerCase(java.util.Locale.ROOT).contains("de_de.utf8")) {
            return locpath;
        }
        final String made = run(List.of("localedef", "-i", "de_DE", "-f", "UTF-8", dir.resolve(LOCALE).toString()));
        final boolean ok = Files.isDirectory(dir.resolve(LOCALE))
                && Files.exists(Path.of("/usr/share/locale/de/LC_MESSAGES/libc.mo"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run this test: localedef or glibc's German messages (Debian packages"
                    + " locales, libc-l10n) are missing: " + made);
        }
        assumeTrue(ok, "cannot make the de_DE.UTF-8 locale here (needs localedef and libc-l10n): " + made);
        locpath.add(dir.toString());
        return locpath;
    }

    private static String run(final List<String> command) {
        try {
            final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (final IOException | InterruptedException e) {
            return e.toString();
        }
    }

    /** Runs in the child JVM: one refused connect through the factory, then the limiter's counts. */
    public static final class Child {
        private Child() {
        }

        public static void main(final String[] args) throws Exception {
            final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                    .halfOpenTimeout(Duration.ofSeconds(5)).build();
            try (Socket holder = new Socket()) {
                holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // bound, never listening
                try (Socket socket = new HalfOpenSocketFactory(limiter).createSocket()) {
                    socket.connect(holder.getLocalSocketAddress(), 3000);
                    System.out.println("connected?!");
                } catch (final ConnectException e) {
                    System.out.println("message=" + e.getMessage());
                }
            }
            final LimiterStats stats = limiter.stats();
            System.out.println("refused=" + stats.refused() + " failed=" + stats.failed());
            assertFalse(stats.halfOpen() > 0, "slot held");
        }
    }
}
