package io.halfopen.testkit;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * One socket entering or leaving SYN_SENT, as the kernel traced it, with the exact counts just after it.
 *
 * @param at               when, since the watch began
 * @param destination      the peer it connects to
 * @param entered          true if it entered SYN_SENT, false if it left
 * @param otherState       the state it came from (entering: {@code CLOSE}) or went to ({@code ESTABLISHED},
 *                         {@code CLOSE} when refused, timed out or closed)
 * @param localPort        its local port (0 on entering: the kernel binds it just after)
 * @param socket           its kernel address ({@code skaddr}), which pairs its entering and leaving
 * @param count            sockets in SYN_SENT towards all watched peers just after
 * @param destinationCount sockets in SYN_SENT towards this destination just after
 * @param enteredBefore    for a leaving socket: it entered SYN_SENT before the watch began
 */
public record SynSentTransition(Duration at, InetSocketAddress destination, boolean entered, String otherState,
        int localPort, long socket, int count, int destinationCount, boolean enteredBefore) {

    private static final String[] STATES = {"0", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    static String stateName(final int state) {
        return state >= 0 && state < STATES.length ? STATES[state] : Integer.toString(state);
    }

    /** {@return one line, e.g. {@code +1203.456 ms  enter 127.0.0.1:4000 from CLOSE  now 10 (3 to it)  sk ffff...}} */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "+%10.3f ms  %s %s %s %s%s  now %d (%d to it)  sk %x%s",
                at.toNanos() / 1e6, entered ? "enter" : "leave", destination, entered ? "from" : "to", otherState,
                localPort == 0 ? "" : " (local port " + localPort + ")", count, destinationCount, socket,
                enteredBefore ? "  (in SYN_SENT before the watch began)" : "");
    }
}
