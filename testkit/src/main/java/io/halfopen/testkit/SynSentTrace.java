package io.halfopen.testkit;

import io.halfopen.testkit.internal.Destinations;
import io.halfopen.testkit.internal.TraceFs;
import io.halfopen.testkit.internal.TraceSession;
import io.halfopen.testkit.internal.TraceUnavailable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;

/**
 * The exact judge: the tracepoint {@code sock:inet_sock_set_state}, in a private tracefs instance of its own,
 * filtered in the kernel to TCP sockets entering or leaving SYN_SENT towards the peers' ports, streamed from
 * every CPU's ring buffer while the watch runs and merged in kernel time order. Every socket is keyed by its
 * kernel address, so the sum is exact at every instant: no sampling, no missed or doubled socket. Needs Linux
 * and root (and mounts tracefs if nothing has); {@link #unavailableBecause()} says what is missing.
 *
 * <p>Most callers want {@link KernelJudge#watch}, which uses this where it can and says which judge it used.
 * Events are never lost silently: {@link #stop()} fails if the kernel's overrun counters or the pages' lost-event
 * flags say any were (a larger buffer, {@value #BUFFER_PROPERTY}, helps). The instance is removed on
 * {@link #stop()}, {@link #close()}, at JVM exit (a shutdown hook), or, if the JVM was killed, by the next trace
 * started on the machine. Instances are independent: any number of JVMs may trace at once.
 *
 * <p>Thread-safe: {@link #countNow()} may be called from any thread, e.g. a listener on an event loop.
 */
public final class SynSentTrace implements AutoCloseable {

    /** System property: the ring buffer per CPU, in KiB (default {@value #DEFAULT_BUFFER_KB}). */
    public static final String BUFFER_PROPERTY = "halfopen.trace.bufferKb";
    /** The default ring buffer per CPU: about 100,000 transitions, seconds of a storm between two reads. */
    public static final int DEFAULT_BUFFER_KB = 8192;

    private final String label;
    private final TraceSession session;
    private SynSentVerdict verdict; // guarded by this

    private SynSentTrace(final String label, final TraceSession session) {
        this.label = label;
        this.session = session;
    }

    /**
     * Starts tracing the sockets in SYN_SENT towards exactly these peers (an IPv4 peer also matches a dual-stack
     * socket's IPv4-mapped destination), whichever process owns them: the peers must be the test's own. Returns
     * once the tracepoint records.
     *
     * @param label what is watched, for the verdict and its messages
     * @param peers the peers, resolved
     * @return the running trace
     * @throws TraceUnavailableException if the trace cannot run here, naming what is missing
     */
    public static SynSentTrace start(final String label, final Collection<InetSocketAddress> peers) {
        return start(label, Destinations.exactly(peers));
    }

    /**
     * Starts tracing the sockets in SYN_SENT towards any address on these ports.
     *
     * @param label what is watched
     * @param ports the peers' ports
     * @return the running trace
     * @throws TraceUnavailableException if the trace cannot run here
     */
    public static SynSentTrace startOnPorts(final String label, final Collection<Integer> ports) {
        return start(label, Destinations.onPorts(ports));
    }

    static SynSentTrace start(final String label, final Destinations destinations) {
        try {
            return new SynSentTrace(label, TraceSession.start(destinations, bufferKb()));
        } catch (final TraceUnavailable e) {
            throw new TraceUnavailableException("the kernel trace cannot run here: " + e.getMessage());
        }
    }

    private static int bufferKb() {
        final String value = System.getProperty(BUFFER_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_BUFFER_KB;
        }
        try {
            final int kb = Integer.parseInt(value.trim());
            if (kb >= 64 && kb <= 1 << 20) {
                return kb;
            }
        } catch (final NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(BUFFER_PROPERTY + " must be 64 to 1048576 (KiB per CPU), was '" + value
                + "'");
    }

    /**
     * Says whether the trace can run in this process, and if not, what is missing.
     *
     * @return empty if it can; else e.g. "not root (effective uid 1000): ..."
     */
    public static Optional<String> unavailableBecause() {
        try {
            TraceFs.open();
            return Optional.empty();
        } catch (final TraceUnavailable e) {
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Counts, exactly, the sockets in SYN_SENT towards the peers now: every transition the kernel made before
     * this call is counted (it waits, briefly, until the readers have caught up).
     *
     * @return the count
     * @throws IllegalStateException once stopped
     */
    public int countNow() {
        return session.countNow();
    }

    /**
     * {@return the sockets in SYN_SENT towards it now, exactly}
     *
     * @param peer one of the watched peers
     * @throws IllegalArgumentException if it is not watched
     */
    public int countNow(final InetSocketAddress peer) {
        final int index = session.destinations().all().indexOf(peer);
        if (index < 0) {
            throw new IllegalArgumentException(peer + " is not one of the watched peers "
                    + session.destinations());
        }
        return session.countNow(index);
    }

    /** {@return when tracing began, in {@link System#nanoTime()} (the trace's own clock)} */
    public long startNanos() {
        return session.startNanos();
    }

    /**
     * Stops the trace, reads the rest of the buffers and removes the instance. Idempotent.
     *
     * @return the exact verdict
     * @throws IllegalStateException if events were lost or the trace was otherwise not exact (the instance is
     *                               removed all the same)
     */
    public synchronized SynSentVerdict stop() {
        if (verdict == null) {
            verdict = verdict(null, null, -1);
        }
        return verdict;
    }

    SynSentVerdict verdict(final SamplerFigures beside, final String label, final int synSentAtStart) {
        final TraceSession.Outcome outcome = session.stop();
        final String name = label == null ? this.label : label;
        if (!outcome.problems().isEmpty()) {
            throw new IllegalStateException(name + ": the trace is not exact: " + String.join("; ",
                    outcome.problems()));
        }
        return new SynSentVerdict(name, Judge.TRACED, Duration.ofNanos(outcome.endNanos() - outcome.startNanos()),
                session.destinations(), outcome.result(), outcome.startNanos(), beside, null, synSentAtStart);
    }

    Destinations destinations() {
        return session.destinations();
    }

    /** Stops the trace if it runs, keeping no verdict; removes the instance. */
    @Override
    public void close() {
        session.stop();
    }

    @Override
    public String toString() {
        return "SynSentTrace[" + label + ", " + session.destinations() + "]";
    }
}
