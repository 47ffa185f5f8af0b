package io.halfopen.agent.limit;

/**
 * Marks the socket whose original connect method the agent itself is calling on this thread, so that the woven
 * code in that method lets the call through instead of asking for a slot again. One socket per thread at a
 * time: a connect does not start another on its own thread.
 */
final class Bypass {

    private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

    private Bypass() {
    }

    static boolean active(final Object socket) {
        return CURRENT.get() == socket;
    }

    /** Runs {@code call} with {@code socket} let through. */
    static void run(final Object socket, final io.halfopen.jdk.BlockingConnect.RealConnect call, final int millis)
            throws java.io.IOException {
        final Object previous = CURRENT.get();
        CURRENT.set(socket);
        try {
            call.connect(millis);
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }
}
