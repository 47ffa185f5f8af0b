package io.halfopen.agent.limit;

import io.halfopen.agent.jdk.JdkInternals;
import io.halfopen.agent.log.AgentLog;
import io.halfopen.session.ConnectionInfo;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionConnection;
import io.halfopen.session.SessionRefusedException;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * XP's inbound session limit on every TCP server socket of the JVM ({@code ServerSocket},
 * {@code ServerSocketChannel}): each accepted connection joins its remote computer's session or opens one; one
 * from a computer past the limit is closed at once, before the application sees it, and limiter-core logs system
 * error 71. The JDK's accept then goes on waiting (a blocking accept) or returns {@code null} (a non-blocking
 * one), as if that connection had never come. A session ends when the last of its connections closes.
 *
 * <p>The agent cannot see a session's traffic, so AutoDisconnect (idle sessions dropped after 15 minutes) is off.
 * Thread-safe.
 */
final class InboundSessions {

    private final InboundSessionLimiter limiter;
    private final JdkInternals.NetCalls net;
    private final ConcurrentHashMap<FileDescriptor, SessionConnection> open = new ConcurrentHashMap<>();

    InboundSessions(final InboundSessionLimiter limiter, final JdkInternals.NetCalls net) {
        this.limiter = limiter;
        this.net = net;
    }

    InboundSessionLimiter limiter() {
        return limiter;
    }

    /** In place of {@code Net.accept}: admits the accepted connection, or closes it and reports none. */
    int accept(final FileDescriptor fd, final FileDescriptor newfd, final InetSocketAddress[] isaa)
            throws IOException {
        final int n = net.accept(fd, newfd, isaa);
        if (n <= 0 || isaa[0] == null) {
            return n;
        }
        final InetSocketAddress remote = isaa[0];
        try {
            open.put(newfd, limiter.admit(ConnectionInfo.from(remote)));
            return n;
        } catch (final SessionRefusedException refused) { // logged by the limiter: system error 71
            isaa[0] = null;
            try {
                net.closeFd(newfd);
            } catch (final IOException e) {
                AgentLog.log(System.Logger.Level.WARNING, "closing the refused connection from " + remote
                        + " failed: " + e);
            }
            AgentLog.log(System.Logger.Level.INFO, "closed the accepted connection from " + remote
                    + " at once: " + refused.getMessage());
            return JdkInternals.UNAVAILABLE;
        }
    }

    /** An instrumented socket is closing: ends its connection's part of a session, if it was accepted. */
    void closed(final FileDescriptor fd) {
        if (fd == null) {
            return;
        }
        final SessionConnection connection = open.remove(fd);
        if (connection != null) {
            connection.close();
        }
    }
}
