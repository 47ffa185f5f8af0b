package io.halfopen.session;

/**
 * Test seam of the event-order checks: what a scenario does to a session table, so that the same scenario runs
 * against {@link InboundSessionLimiter} and against a known-bad copy of its old event delivery. Each computer
 * 127.0.0.{@code host} has one default session; every table reports its events to an {@link EventLog}.
 */
interface TableUnderTest {

    /** Admits a connection from 127.0.0.{@code host}; returns it, or null if it was refused. */
    Object admit(int host);

    /** Closes a connection {@link #admit} returned. */
    void close(Object connection);

    /** Ends the sessions of 127.0.0.{@code host}, closing their connections. */
    void disconnect(int host);

    /** Returns the sessions in the table now. */
    int sessions();

    /** The real limiter. */
    static TableUnderTest limiter(final int maxSessions, final EventLog log) {
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder().maxSessions(maxSessions)
                .autoDisconnectMinutes(-1).scheduler((task, delay, unit) -> () -> { })
                .listener(log.listener()).build();
        return new TableUnderTest() {
            @Override
            public Object admit(final int host) {
                try {
                    return limiter.admit(Remote.computer(host));
                } catch (final SessionLimitExceededException refused) {
                    return null;
                }
            }

            @Override
            public void close(final Object connection) {
                ((SessionConnection) connection).close();
            }

            @Override
            public void disconnect(final int host) {
                limiter.disconnect("127.0.0." + host);
            }

            @Override
            public int sessions() {
                return limiter.stats().sessions();
            }
        };
    }
}
