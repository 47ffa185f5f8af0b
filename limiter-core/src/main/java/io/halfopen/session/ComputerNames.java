package io.halfopen.session;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns remote addresses and protocol-supplied names into the one canonical name each computer has, so that
 * every spelling of it finds the same sessions. Never looks a name up. Stateless and thread-safe.
 *
 * <ul>
 *   <li>An IPv4 address is its dotted quad, {@code 127.0.0.2}.</li>
 *   <li>An IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}, in any spelling) is the IPv4 computer
 *       {@code a.b.c.d}: a dual-stack server sees IPv4 clients that way.</li>
 *   <li>Any other IPv6 address is written as RFC 5952 says: lower-case hex without leading zeros, the longest run
 *       of two or more zero groups (the first of equal runs) as {@code ::}, so {@code ::1}, not
 *       {@code 0:0:0:0:0:0:0:1}; a zone ({@code %eth0}, {@code %3}) is kept. Brackets ({@code [::1]}) are
 *       accepted and dropped.</li>
 *   <li>Any other name (a NetBIOS or DNS name, an IPv4 address as written) is kept as given, compared ignoring
 *       case. A name containing {@code :} must be an IPv6 address; a name containing {@code \} is a path, not a
 *       name: both are refused with the bad value in the message.</li>
 *   <li>The {@code \\} Windows writes before computer names, and whitespace around the name, before or after
 *       the {@code \\}, are not part of it: {@code "\\ HOST"}, {@code " \\HOST "} and {@code "HOST"} are one
 *       computer.</li>
 * </ul>
 */
final class ComputerNames {

    private static final int IPV6_GROUPS = 8;

    private ComputerNames() {
    }

    /** Returns the canonical name of a remote address: its textual IP address, never a reverse lookup. */
    static String fromAddress(final InetAddress address) {
        Objects.requireNonNull(address, "address");
        if (!(address instanceof Inet6Address)) {
            return address.getHostAddress();
        }
        final Inet6Address v6 = (Inet6Address) address;
        final byte[] bytes = v6.getAddress();
        if (isIpv4Mapped(bytes)) {
            return ipv4Text(bytes);
        }
        return ipv6Text(bytes) + zoneOf(v6);
    }

    /**
     * Validates a computer name given by a caller and returns its canonical form.
     *
     * @param name      the name as given
     * @param parameter the parameter's name, for the error message
     * @throws IllegalArgumentException naming the parameter and the value if it names no computer
     */
    static String normalize(final String name, final String parameter) {
        Objects.requireNonNull(name, parameter);
        final String stripped = name.strip();
        int start = 0;
        while (start < stripped.length() && stripped.charAt(start) == '\\') {
            start++;
        }
        final String bare = stripped.substring(start).strip();
        if (bare.isEmpty()) {
            throw new IllegalArgumentException(parameter + " must name a computer, was \"" + name + "\"");
        }
        if (bare.indexOf('\\') >= 0) {
            throw new IllegalArgumentException(parameter + " must be a computer name, not a path: \"" + name + "\"");
        }
        return bare.indexOf(':') >= 0 ? canonicalIpv6(bare, name, parameter) : bare;
    }

    /** Returns the key two canonical names must share to be the same computer: Windows ignores case. */
    static String key(final String normalizedName) {
        return normalizedName.toUpperCase(Locale.ROOT);
    }

    private static String canonicalIpv6(final String bare, final String name, final String parameter) {
        String text = bare;
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        String zone = "";
        final int percent = text.indexOf('%');
        if (percent >= 0) {
            zone = text.substring(percent);
            text = text.substring(0, percent);
            if (zone.length() == 1 || zone.chars().anyMatch(Character::isWhitespace)) {
                throw notIpv6(name, parameter);
            }
        }
        final byte[] bytes = parseIpv6(text);
        if (bytes == null) {
            throw notIpv6(name, parameter);
        }
        return isIpv4Mapped(bytes) ? ipv4Text(bytes) : ipv6Text(bytes) + zone;
    }

    private static IllegalArgumentException notIpv6(final String name, final String parameter) {
        return new IllegalArgumentException(parameter + " is not a valid IPv6 address: \"" + name + "\"");
    }

    /** Parses an IPv6 address without zone or brackets (RFC 4291 section 2.2); null if it is not one. */
    private static byte[] parseIpv6(final String text) {
        final int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        final int[] head = doubleColon >= 0 ? groups(text.substring(0, doubleColon), false)
                : groups(text, true);
        final int[] tail = doubleColon >= 0 ? groups(text.substring(doubleColon + 2), true) : new int[0];
        if (head == null || tail == null) {
            return null;
        }
        final int given = head.length + tail.length;
        if (doubleColon < 0 ? given != IPV6_GROUPS : given > IPV6_GROUPS - 1) {
            return null;
        }
        final int[] all = new int[IPV6_GROUPS];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, IPV6_GROUPS - tail.length, tail.length);
        final byte[] bytes = new byte[16];
        for (int i = 0; i < IPV6_GROUPS; i++) {
            bytes[2 * i] = (byte) (all[i] >>> 8);
            bytes[2 * i + 1] = (byte) all[i];
        }
        return bytes;
    }

    /**
     * Parses colon-separated hex groups; the last may be a dotted IPv4 address (two groups) if
     * {@code mayEndInIpv4}. An empty string is no groups. Returns null if malformed.
     */
    private static int[] groups(final String text, final boolean mayEndInIpv4) {
        if (text.isEmpty()) {
            return new int[0];
        }
        final String[] parts = text.split(":", -1);
        final boolean endsInIpv4 = parts[parts.length - 1].indexOf('.') >= 0;
        if (endsInIpv4 && !mayEndInIpv4) {
            return null;
        }
        final int[] out = new int[parts.length + (endsInIpv4 ? 1 : 0)];
        for (int i = 0; i < parts.length; i++) {
            if (endsInIpv4 && i == parts.length - 1) {
                final long ipv4 = dottedQuad(parts[i]);
                if (ipv4 < 0) {
                    return null;
                }
                out[i] = (int) (ipv4 >>> 16);
                out[i + 1] = (int) (ipv4 & 0xffff);
            } else {
                final int group = hexGroup(parts[i]);
                if (group < 0) {
                    return null;
                }
                out[i] = group;
            }
        }
        return out;
    }

    private static int hexGroup(final String part) {
        if (part.isEmpty() || part.length() > 4) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < part.length(); i++) {
            final int digit = Character.digit(part.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** Returns the 32 bits of a strict dotted quad ({@code 0}–{@code 255} each), or -1 if malformed. */
    private static long dottedQuad(final String part) {
        final String[] octets = part.split("\\.", -1);
        if (octets.length != 4) {
            return -1;
        }
        long value = 0;
        for (final String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || octet.length() > 1 && octet.charAt(0) == '0'
                    || !octet.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            final int number = Integer.parseInt(octet);
            if (number > 255) {
                return -1;
            }
            value = value << 8 | number;
        }
        return value;
    }

    private static boolean isIpv4Mapped(final byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static String ipv4Text(final byte[] mapped) {
        return (mapped[12] & 0xff) + "." + (mapped[13] & 0xff) + "." + (mapped[14] & 0xff) + "." + (mapped[15] & 0xff);
    }

    /** RFC 5952 section 4: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
    private static String ipv6Text(final byte[] bytes) {
        final int[] groups = new int[IPV6_GROUPS];
        for (int i = 0; i < IPV6_GROUPS; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < IPV6_GROUPS; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int end = i;
            while (end < IPV6_GROUPS && groups[end] == 0) {
                end++;
            }
            if (end - i > bestLength) {
                bestStart = i;
                bestLength = end - i;
            }
            i = end;
        }
        final StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < IPV6_GROUPS; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** The zone the JDK prints for a scoped address: its interface name if known, else its scope id. */
    private static String zoneOf(final Inet6Address address) {
        final NetworkInterface scoped = address.getScopedInterface();
        if (scoped != null) {
            return "%" + scoped.getName();
        }
        return address.getScopeId() != 0 ? "%" + address.getScopeId() : "";
    }
}
