package io.halfopen.sim.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Simulated IPv4 addresses, kept as {@code int}s and turned into socket addresses only for the limiter. */
public final class Addresses {

    private Addresses() {
    }

    /**
     * Returns a resolved socket address for an IPv4 address. No lookup happens: the address is never
     * contacted, it only names a destination inside the simulation.
     *
     * @param ipv4 the address, big-endian in an int
     * @param port the port
     * @return the socket address
     */
    public static InetSocketAddress socket(final int ipv4, final int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {
                (byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16), (byte) (ipv4 >>> 8), (byte) ipv4}), port);
        } catch (final UnknownHostException impossible) {
            throw new AssertionError("four bytes are always an IPv4 address", impossible);
        }
    }

    /**
     * Writes an IPv4 address in dotted form.
     *
     * @param ipv4 the address
     * @return such as {@code 10.0.0.1}
     */
    public static String dotted(final int ipv4) {
        return (ipv4 >>> 24) + "." + ((ipv4 >>> 16) & 0xff) + "." + ((ipv4 >>> 8) & 0xff) + "." + (ipv4 & 0xff);
    }
}
