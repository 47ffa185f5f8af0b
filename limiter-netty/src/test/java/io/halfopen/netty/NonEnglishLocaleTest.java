package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.halfopen.limiter.HalfOpenLimiter;
import io.halfopen.limiter.LimiterStats;
import io.halfopen.testkit.LoopbackPeers;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused connect is reported refused under a German locale, on NIO and Epoll: the handler classifies by
 * exception type, never by the message, which is glibc's translated {@code strerror} text there ("Verbindungsaufbau
 * abgelehnt"). A child JVM runs under {@code LC_ALL=de_DE.UTF-8}, the locale compiled by {@code localedef} into a
 * temporary {@code LOCPATH} if the system lacks it (nothing on the machine changes). The test first checks that
 * each message really is German, so that it cannot pass where a message-based classifier would pass too.
 */
class NonEnglishLocaleTest {

    private static final String LOCALE = "de_DE.UTF-8";

    @Test
    void aRefusedConnectIsReportedRefusedUnderAGermanLocaleOnEveryTransport(@TempDir final Path dir)
            throws Exception {
        TestTransport.EPOLL.require();
        TestTransport.IO_URING.require();
        final ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classPath(),
                Child.class.getName()).redirectErrorStream(true);
        builder.environment().put("LC_ALL", LOCALE);
        builder.environment().put("LANG", LOCALE);
        germanLocale(dir).ifPresent(locpath -> builder.environment().put("LOCPATH", locpath));
        final Process child = builder.start();
        final String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM did not end: " + out);
        assertEquals(0, child.exitValue(), out);
        for (final TestTransport transport : TestTransport.values()) {
            final String line = out.lines().filter(l -> l.startsWith(transport + ":")).findFirst()
                    .orElseThrow(() -> new AssertionError("no result for " + transport + ": " + out));
            assertTrue(line.contains("abgelehnt") && !line.contains("Connection refused"),
                    "the message must be German, or this test proves nothing: " + line);
            assertTrue(line.contains("refused=1 failed=0"), "classified by type, whatever the language: " + line);
        }
    }

    private static String classPath() {
        final String modules = System.getProperty("jdk.module.path");
        final String classes = System.getProperty("java.class.path");
        return modules == null || modules.isEmpty() ? classes : modules + File.pathSeparator + classes;
    }

    /** The LOCPATH to use (empty if the system has the locale), or skips where it cannot be made (fails in CI). */
    private static java.util.Optional<String> germanLocale(final Path dir) throws Exception {
        if (run(List.of("locale", "-a")).toLowerCase(Locale.ROOT).contains("de_de.utf8")) {
            return java.util.Optional.empty();
        }
        final String made = run(List.of("localedef", "-i", "de_DE", "-f", "UTF-8", dir.resolve(LOCALE).toString()));
        final boolean ok = Files.isDirectory(dir.resolve(LOCALE))
                && Files.exists(Path.of("/usr/share/locale/de/LC_MESSAGES/libc.mo"));
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run this test: localedef or glibc's German messages (Debian packages"
                    + " locales, libc-l10n) are missing: " + made);
        }
        assumeTrue(ok, "cannot make the de_DE.UTF-8 locale here (needs localedef and libc-l10n): " + made);
        return java.util.Optional.of(dir.toString());
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

    /** Runs in the child JVM: on each transport, one refused connect through the handler, then its counts. */
    static final class Child {
        private Child() {
        }

        public static void main(final String[] args) throws Exception {
            try (LoopbackPeers peers = new LoopbackPeers()) {
                for (final TestTransport transport : TestTransport.values()) {
                    final HalfOpenLimiter limiter = HalfOpenLimiter.builder().maxHalfOpen(1)
                            .halfOpenTimeout(Duration.ofSeconds(5)).build();
                    final EventLoopGroup group = transport.newGroup(1);
                    try {
                        final ChannelFuture connect = new Bootstrap().group(group)
                                .channel(transport.channelClass()).handler(new HalfOpenLimitHandler(limiter))
                                .connect(peers.refusing());
                        connect.await(10, TimeUnit.SECONDS);
                        connect.channel().closeFuture().await(10, TimeUnit.SECONDS);
                        final LimiterStats stats = limiter.stats();
                        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                        while (limiter.stats().halfOpen() > 0 && System.nanoTime() < deadline) {
                            Thread.onSpinWait(); // the NIO report waits for the loop's next pass
                        }
                        System.out.println(transport + ": message=" + connect.cause() + " refused="
                                + limiter.stats().refused() + " failed=" + limiter.stats().failed()
                                + " (before the loop's pass: " + stats.refused() + ")");
                    } finally {
                        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
                    }
                }
            }
        }
    }
}
