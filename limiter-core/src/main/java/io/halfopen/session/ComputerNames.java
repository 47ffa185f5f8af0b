package io.halfopen.session;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns remote addresses and protocol-supplied names into the computer names sessions are keyed by.
 * Stateless and thread-safe.
 */
final class ComputerNames {

    private ComputerNames() {
    }

    /**
     * Returns the computer name of a remote address: its textual IP address, never a reverse lookup. An
     * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) names the same computer as {@code a.b.c.d}.
     */
    static String fromAddress(final InetAddress address) {
        Objects.requireNonNull(address, "address");
        return unmapIpv4(address).getHostAddress();
    }

    /**
     * Validates a protocol-supplied computer name and strips the leading {@code \\} Windows writes before
     * computer names, so {@code "\\\\HOST"} and {@code "HOST"} name the same computer.
     */
    static String normalize(final String name, final String parameter) {
        Objects.requireNonNull(name, parameter);
        String stripped = name.strip();
        while (stripped.startsWith("\\")) {
            stripped = stripped.substring(1);
        }
        if (stripped.isEmpty()) {
            throw new IllegalArgumentException(parameter + " must name a computer, was \"" + name + "\"");
        }
        return stripped;
    }

    /** Returns the key two names must share to be the same computer: Windows compares names ignoring case. */
    static String key(final String normalizedName) {
        return normalizedName.toUpperCase(Locale.ROOT);
    }

    private static InetAddress unmapIpv4(final InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        final byte[] bytes = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return address;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return address;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
        } catch (final UnknownHostException impossible) {
            throw new AssertionError("4 bytes are always a valid IPv4 address", impossible);
        }
    }
}
