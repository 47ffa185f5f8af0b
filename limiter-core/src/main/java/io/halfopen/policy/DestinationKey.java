package io.halfopen.policy;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * A destination as per-destination policies key it: an IP address cut to a prefix, {@code /32} (the address)
 * or {@code /24} for IPv4, {@code /128} or {@code /64} for IPv6. The port never counts. Immutable; equal keys
 * name the same network.
 *
 * @param high the first 64 bits of the masked IPv6 address, or -1 for IPv4
 * @param low  the last 64 bits of the masked IPv6 address, or the masked IPv4 address
 */
record DestinationKey(long high, long low) {

    /**
     * Returns the key of an address.
     *
     * @param address    the destination
     * @param ipv4Prefix how many leading bits of an IPv4 address count, 1 to 32
     * @param ipv6Prefix how many leading bits of an IPv6 address count, 1 to 128
     * @return the key
     */
    static DestinationKey of(final InetAddress address, final int ipv4Prefix, final int ipv6Prefix) {
        final byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            final long v4 = ((b[0] & 0xffL) << 24) | ((b[1] & 0xffL) << 16) | ((b[2] & 0xffL) << 8) | (b[3] & 0xffL);
            return new DestinationKey(-1L, v4 & (0xffff_ffffL << (32 - ipv4Prefix)) & 0xffff_ffffL);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) {
            high = (high << 8) | (b[i] & 0xffL);
            low = (low << 8) | (b[i + 8] & 0xffL);
        }
        if (ipv6Prefix <= 64) {
            high &= ipv6Prefix == 64 ? -1L : ~(-1L >>> ipv6Prefix);
            low = 0;
        } else if (ipv6Prefix < 128) {
            low &= ~(-1L >>> (ipv6Prefix - 64));
        }
        return new DestinationKey(high, low);
    }

    /** Checks a prefix length for a parameter. */
    static int prefix(final String parameter, final int value, final int max) {
        if (value < 1 || value > max) {
            throw new PolicyParameterException(parameter, parameter + " must be between 1 and " + max + ", was "
                    + value);
        }
        return value;
    }
}
