package io.halfopen.session;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A deliberately broken session table for the known-bad event-order checks: a copy of how
 * {@link InboundSessionLimiter} delivered events before issue 20. Every change is made under the lock and its
 * events are run by the same thread after the unlock, so two threads' events can pass each other: a session's
 * "ended" after the next session's "opened" (two open at limit 1), or a session's "ended" before its "opened".
 * Sequentially it behaves exactly like the real limiter; only an interleaving shows the bug.
 */
final class UnorderedDeliveryTable implements TableUnderTest {

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Integer> connectionsByComputer = new HashMap<>(); // guarded by lock
    private final int maxSessions;
    private final EventLog log;

    UnorderedDeliveryTable(final int maxSessions, final EventLog log) {
        this.maxSessions = maxSessions;
        this.log = log;
    }

    @Override
    public Object admit(final int host) {
        final String computer = "127.0.0." + host;
        final boolean opened;
        lock.lock();
        try {
            final Integer connections = connectionsByComputer.get(computer);
            if (connections == null && connectionsByComputer.size() >= maxSessions) {
                opened = false;
            } else {
                connectionsByComputer.put(computer, connections == null ? 1 : connections + 1);
                opened = connections == null;
                if (!opened) {
                    return computer;
                }
            }
        } finally {
            lock.unlock();
        }
        if (!opened) {
            log.refused(computer);   // BUG: delivered after the unlock, by the thread that made the change
            return null;
        }
        log.opened(computer);    // BUG: likewise
        return computer;
    }

    @Override
    public void close(final Object connection) {
        final String computer = (String) connection;
        final boolean ended;
        lock.lock();
        try {
            final int left = connectionsByComputer.get(computer) - 1;
            ended = left == 0;
            if (ended) {
                connectionsByComputer.remove(computer);
            } else {
                connectionsByComputer.put(computer, left);
            }
        } finally {
            lock.unlock();
        }
        if (ended) {
            log.ended(computer);     // BUG: likewise
        }
    }

    @Override
    public void disconnect(final int host) {
        final String computer = "127.0.0." + host;
        final boolean ended;
        lock.lock();
        try {
            ended = connectionsByComputer.remove(computer) != null;
        } finally {
            lock.unlock();
        }
        if (ended) {
            log.ended(computer);     // BUG: likewise
        }
    }

    @Override
    public int sessions() {
        lock.lock();
        try {
            return connectionsByComputer.size();
        } finally {
            lock.unlock();
        }
    }
}
