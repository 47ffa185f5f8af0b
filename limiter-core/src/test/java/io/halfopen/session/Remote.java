package io.halfopen.session;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Test helper: loopback socket addresses of remote "computers", no name lookups. */
final class Remote {

    private Remote() {
    }

    /** Returns 127.0.0.{@code host}:{@code port}. */
    static InetSocketAddress computer(final int host, final int port) {
        return address(new byte[] {127, 0, 0, (byte) host}, port);
    }

    /** Returns 127.0.0.{@code host}:40000. */
    static InetSocketAddress computer(final int host) {
        return computer(host, 40_000);
    }

    static InetSocketAddress address(final byte[] ip, final int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (final UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
