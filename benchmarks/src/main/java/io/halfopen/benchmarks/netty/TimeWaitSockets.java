package io.halfopen.benchmarks.netty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Counts TCP sockets in TIME_WAIT on a port, from the kernel's own tables ({@code /proc/net/tcp} and
 * {@code /proc/net/tcp6}; Linux only). The end-to-end benchmarks close with {@code SO_LINGER} 0 so that no
 * socket of theirs ever enters TIME_WAIT (thousands per second would exhaust the ephemeral ports); their
 * tear-downs prove it with this count on the server's port.
 */
public final class TimeWaitSockets {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String TIME_WAIT = "06"; // include/net/tcp_states.h: TCP_TIME_WAIT

    private TimeWaitSockets() {
    }

    /**
     * Returns whether the kernel's tables can be read here.
     *
     * @return true on Linux with {@code /proc} mounted
     */
    public static boolean available() {
        return Files.isReadable(TABLES.get(0));
    }

    /**
     * Counts the sockets in TIME_WAIT whose local or remote port is {@code port}, IPv4 and IPv6 (the JDK's
     * sockets are IPv6 with IPv4-mapped addresses when the host has IPv6).
     *
     * @param port a TCP port
     * @return how many there are now
     */
    public static int count(final int port) {
        int count = 0;
        for (final Path table : TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            final List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (final IOException e) {
                throw new UncheckedIOException("cannot read " + table, e);
            }
            for (final String line : lines.subList(1, lines.size())) { // the first line is the header
                final String[] fields = line.trim().split("\\s+");  // sl local_address rem_address st ...
                if (fields.length > 3 && TIME_WAIT.equals(fields[3])
                        && (port(fields[1]) == port || port(fields[2]) == port)) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Parses the port of "ADDRESS:PORT", both in hex. */
    private static int port(final String addressAndPort) {
        return Integer.parseInt(addressAndPort.substring(addressAndPort.lastIndexOf(':') + 1), 16);
    }
}
