package io.halfopen.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live sessions, indexed by computer: each computer's sessions in the order they opened, as a list linked
 * through {@link Session#nextOfComputer}, whose head the map holds. A computer rarely has more than one
 * session, so the per-computer lookups walk a list of one or two.
 *
 * <p>Not thread-safe: guarded by the owning limiter's lock.
 */
final class SessionIndex {

    private final Map<String, Session> firstByComputer = new HashMap<>();
    private int size;

    /** Returns the computer's session its unauthenticated connections join: its first non-null session. */
    Session computersSession(final String computerKey) {
        for (Session s = firstByComputer.get(computerKey); s != null; s = s.nextOfComputer) {
            if (s.joinable()) {
                return s;
            }
        }
        return null;
    }

    /** Returns the computer's non-null session of that user, or null. */
    Session userSession(final String computerKey, final String userKey) {
        for (Session s = firstByComputer.get(computerKey); s != null; s = s.nextOfComputer) {
            if (s.joinable() && s.userKey.equals(userKey)) {
                return s;
            }
        }
        return null;
    }

    void add(final Session session) {
        final Session first = firstByComputer.putIfAbsent(session.computerKey, session);
        if (first != null) {
            Session last = first;
            while (last.nextOfComputer != null) {
                last = last.nextOfComputer;
            }
            last.nextOfComputer = session;
        }
        size++;
    }

    void remove(final Session session) {
        final Session first = firstByComputer.get(session.computerKey);
        if (first == session) {
            if (session.nextOfComputer == null) {
                firstByComputer.remove(session.computerKey);
            } else {
                firstByComputer.put(session.computerKey, session.nextOfComputer);
            }
        } else {
            Session previous = first;
            while (previous.nextOfComputer != session) {
                previous = previous.nextOfComputer;
            }
            previous.nextOfComputer = session.nextOfComputer;
        }
        session.nextOfComputer = null;
        size--;
    }

    /** Returns the computer's sessions, in the order they opened. */
    List<Session> ofComputer(final String computerKey) {
        final List<Session> out = new ArrayList<>(2);
        for (Session s = firstByComputer.get(computerKey); s != null; s = s.nextOfComputer) {
            out.add(s);
        }
        return out;
    }

    /** Returns every session. */
    List<Session> all() {
        final List<Session> out = new ArrayList<>(size);
        for (final Session first : firstByComputer.values()) {
            for (Session s = first; s != null; s = s.nextOfComputer) {
                out.add(s);
            }
        }
        return out;
    }

    int size() {
        return size;
    }
}
