package io.halfopen.limiter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Addresses for tests. None is ever connected to: the limiter only counts. */
final class Addresses {

    private Addresses() {
    }

    /** A documentation address (TEST-NET-3, RFC 5737), built without a DNS lookup. */
    static InetSocketAddress remote(final int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 203, 0, 113, 7}), port);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    static InetSocketAddress loopback(final int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
