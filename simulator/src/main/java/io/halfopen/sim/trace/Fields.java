package io.halfopen.sim.trace;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Parsing of the values traces hold, each failure a {@link TraceFormatException} naming the value. */
final class Fields {

    private Fields() {
    }

    static long seconds(final String source, final long line, final String name, final String text) {
        try {
            final BigDecimal s = new BigDecimal(text.strip());
            if (s.signum() < 0) {
                throw new TraceFormatException(source, line, name + " '" + text + "' is negative");
            }
            return s.movePointRight(9).setScale(0, java.math.RoundingMode.HALF_EVEN).longValueExact();
        } catch (final NumberFormatException | ArithmeticException e) {
            throw new TraceFormatException(source, line, name + " '" + text + "' is not a number of seconds");
        }
    }

    /** An IP literal only: no name is ever looked up. */
    static InetAddress address(final String source, final long line, final String name, final String text) {
        final String t = text.strip();
        final boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        final boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.%]+");
        if (!v4 && !v6) {
            throw new TraceFormatException(source, line, name + " '" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(t);
        } catch (final UnknownHostException | IllegalArgumentException e) {
            throw new TraceFormatException(source, line, name + " '" + text + "' is not an IP address");
        }
    }

    static int port(final String source, final long line, final String name, final String text) {
        try {
            final int p = Integer.parseInt(text.strip());
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (final NumberFormatException e) {
            throw new TraceFormatException(source, line, name + " '" + text + "' is not a port (0 to 65535)");
        }
    }

    /** {@code 192.0.2.7:80} or {@code [2001:db8::1]:80}. */
    static InetSocketAddress destination(final String source, final long line, final String text) {
        final String t = text.strip();
        final int colon = t.lastIndexOf(':');
        if (colon <= 0) {
            throw new TraceFormatException(source, line, "destination '" + text + "' is not address:port");
        }
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new TraceFormatException(source, line, "destination '" + text
                    + "': write an IPv6 address in brackets, [2001:db8::1]:80");
        }
        return new InetSocketAddress(address(source, line, "destination", host),
                port(source, line, "destination's port", t.substring(colon + 1)));
    }
}
