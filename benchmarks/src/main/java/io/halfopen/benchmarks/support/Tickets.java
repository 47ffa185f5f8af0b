package io.halfopen.benchmarks.support;

import io.halfopen.policy.AdmissionTicket;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Tickets and addresses shared by the benchmarks. */
public final class Tickets {

    /** A resolved, non-loopback address (TEST-NET-1), so the limiter counts it; nothing ever connects. */
    public static final InetSocketAddress REMOTE = testNet();

    private Tickets() {
    }

    private static InetSocketAddress testNet() {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 80);
        } catch (final java.net.UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Returns a ticket for the fast path: it throws if it is ever offered a permit, which only a waiter is;
     * the benchmarks also check that every acquire with it took a permit at once.
     *
     * @return a reusable ticket
     */
    public static AdmissionTicket neverWaits() {
        return NeverWaits.INSTANCE;
    }

    private static final class NeverWaits implements AdmissionTicket {
        static final NeverWaits INSTANCE = new NeverWaits();

        @Override
        public InetSocketAddress remote() {
            return REMOTE;
        }

        @Override
        public boolean tryAdmit() {
            throw new IllegalStateException("the fast-path ticket was offered a permit");
        }
    }
}
