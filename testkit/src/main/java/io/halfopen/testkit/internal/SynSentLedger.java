package io.halfopen.testkit.internal;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The exact count of sockets in SYN_SENT towards the watched destinations, from the traced transitions merged
 * across CPUs in kernel time order. Each CPU's buffer is in time order already; {@link #processUpTo} merges the
 * CPUs' backlogs up to a bound before which every CPU is known to be complete, so no later read can insert an
 * earlier transition (one that does anyway is counted in {@link #lateTransitions()}, and makes the verdict fail).
 *
 * <p>Sockets are keyed by their kernel address ({@code skaddr}): entering SYN_SENT adds one, leaving removes the
 * one that entered. A socket that leaves without having entered was in SYN_SENT before the watch began: it is
 * counted from the start of the watch until it leaves ({@link Result}), so the peak is exact for every socket that
 * entered or left SYN_SENT while the watch ran.
 *
 * <p>Not thread-safe: the owner serializes calls.
 */
public final class SynSentLedger {

    static final int TCP_SYN_SENT = 2;

    private final Destinations destinations;
    private final EventColumns[] backlogs;
    private final int[] heads;
    private final Map<Long, Integer> open = new HashMap<>();
    private int count;
    private int[] destinationCounts = new int[8];
    private final Timeline timeline = new Timeline();
    private long lastNanos = Long.MIN_VALUE;
    private long lateTransitions;
    private long doubleEntries;

    /**
     * Creates an empty ledger.
     *
     * @param destinations the watched destinations
     * @param cpus         how many CPU backlogs (the highest CPU number + 1)
     */
    public SynSentLedger(final Destinations destinations, final int cpus) {
        this.destinations = destinations;
        this.backlogs = new EventColumns[cpus];
        this.heads = new int[cpus];
        for (int i = 0; i < cpus; i++) {
            backlogs[i] = new EventColumns();
        }
    }

    /** Takes what a CPU's reader has decoded into that CPU's backlog. */
    void take(final CpuReader reader) {
        reader.drainTo(backlogs[reader.cpu()]);
    }

    /**
     * Applies, in time order, every backlogged transition at or before {@code bound}.
     *
     * @param bound a trace time ({@link Long#MAX_VALUE}: everything)
     */
    void processUpTo(final long bound) {
        while (true) {
            int next = -1;
            long nextNanos = bound;
            for (int cpu = 0; cpu < backlogs.length; cpu++) {
                final EventColumns backlog = backlogs[cpu];
                if (heads[cpu] < backlog.size() && backlog.nanos(heads[cpu]) <= nextNanos) {
                    if (next < 0 || backlog.nanos(heads[cpu]) < nextNanos) {
                        next = cpu;
                        nextNanos = backlog.nanos(heads[cpu]);
                    }
                }
            }
            if (next < 0) {
                break;
            }
            final EventColumns backlog = backlogs[next];
            final int i = heads[next]++;
            apply(backlog.nanos(i), backlog.socket(i), backlog.destination(i), backlog.info(i));
        }
        for (int cpu = 0; cpu < backlogs.length; cpu++) {
            backlogs[cpu].dropFirst(heads[cpu]);
            heads[cpu] = 0;
        }
    }

    private void apply(final long nanos, final long socket, final int destination, final int info) {
        if (nanos < lastNanos) {
            lateTransitions++;
        }
        lastNanos = Math.max(lastNanos, nanos);
        if (destination >= destinationCounts.length) {
            destinationCounts = Arrays.copyOf(destinationCounts,
                    Math.max(destination + 1, destinationCounts.length * 2));
        }
        if (EventColumns.newState(info) == TCP_SYN_SENT) {
            if (open.putIfAbsent(socket, destination) != null) {
                doubleEntries++;
                return;
            }
            count++;
            destinationCounts[destination]++;
            timeline.add(nanos, socket, destination, info, Timeline.ENTERED, count, destinationCounts[destination]);
        } else {
            final Integer entered = open.remove(socket);
            if (entered != null) {
                count--;
                destinationCounts[entered]--;
                timeline.add(nanos, socket, entered, info, Timeline.LEFT, count, destinationCounts[entered]);
            } else {
                timeline.add(nanos, socket, destination, info, Timeline.LEFT_UNSEEN, count,
                        destinationCounts[destination]);
            }
        }
    }

    /** {@return sockets in SYN_SENT now (as far as processed) that entered it during the watch} */
    int count() {
        return count;
    }

    /**
     * {@return sockets in SYN_SENT towards it now (as far as processed) that entered it during the watch}
     *
     * @param destination a destination index
     */
    int count(final int destination) {
        return destination < destinationCounts.length ? destinationCounts[destination] : 0;
    }

    /** {@return transitions that arrived after a later one had been applied (must be 0)} */
    long lateTransitions() {
        return lateTransitions;
    }

    /** {@return sockets seen entering SYN_SENT twice without leaving it (must be 0)} */
    long doubleEntries() {
        return doubleEntries;
    }

    /**
     * Computes the exact counts at every transition, with the sockets that were already in SYN_SENT at the start
     * counted until they left.
     *
     * @return the result
     */
    Result result() {
        return new Result(timeline, destinations.all().size(), open.size());
    }

    /** The transitions of one watch with their exact counts; immutable. */
    public static final class Result {
        private final Timeline timeline;
        private final int[] counts;
        private final int[] destinationCounts;
        private final int[] destinationPeaks;
        private final int peak;
        private final int peakIndex;
        private final int alreadyInSynSent;
        private final int leftInSynSent;

        Result(final Timeline timeline, final int destinations, final int leftInSynSent) {
            this.timeline = timeline;
            this.leftInSynSent = leftInSynSent;
            final int n = timeline.size();
            counts = new int[n];
            destinationCounts = new int[n];
            int maxDestination = destinations;
            for (int i = 0; i < n; i++) {
                maxDestination = Math.max(maxDestination, timeline.destination(i) + 1);
            }
            final int[] unseenAfter = new int[maxDestination];
            int unseenAfterAll = 0;
            for (int i = n - 1; i >= 0; i--) {
                final int destination = timeline.destination(i);
                counts[i] = timeline.count(i) + unseenAfterAll;
                destinationCounts[i] = timeline.destinationCount(i) + unseenAfter[destination];
                if (timeline.kind(i) == Timeline.LEFT_UNSEEN) {
                    unseenAfterAll++;
                    unseenAfter[destination]++;
                }
            }
            alreadyInSynSent = unseenAfterAll;
            destinationPeaks = unseenAfter.clone(); // at the start
            int top = unseenAfterAll;
            int topIndex = -1;
            for (int i = 0; i < n; i++) {
                if (counts[i] > top) {
                    top = counts[i];
                    topIndex = i;
                }
                final int destination = timeline.destination(i);
                destinationPeaks[destination] = Math.max(destinationPeaks[destination], destinationCounts[i]);
            }
            peak = top;
            peakIndex = topIndex;
        }

        /** {@return the most sockets in SYN_SENT at once} */
        public int peak() {
            return peak;
        }

        /** {@return the transition that first reached the peak, or -1 if it was held from the start} */
        public int peakIndex() {
            return peakIndex;
        }

        /**
         * {@return the most sockets in SYN_SENT towards it at once}
         *
         * @param destination a destination index
         */
        public int destinationPeak(final int destination) {
            return destination < destinationPeaks.length ? destinationPeaks[destination] : 0;
        }

        /** {@return sockets that left SYN_SENT during the watch without having entered it during the watch} */
        public int alreadyInSynSent() {
            return alreadyInSynSent;
        }

        /** {@return sockets that entered SYN_SENT during the watch and were still in it at its end} */
        public int leftInSynSent() {
            return leftInSynSent;
        }

        /** {@return how many transitions} */
        public int size() {
            return timeline.size();
        }

        /**
         * {@return its trace time}
         *
         * @param i a transition
         */
        public long nanos(final int i) {
            return timeline.nanos(i);
        }

        /**
         * {@return its socket's kernel address}
         *
         * @param i a transition
         */
        public long socket(final int i) {
            return timeline.socket(i);
        }

        /**
         * {@return its destination index}
         *
         * @param i a transition
         */
        public int destination(final int i) {
            return timeline.destination(i);
        }

        /**
         * {@return whether the socket entered SYN_SENT (else it left)}
         *
         * @param i a transition
         */
        public boolean entered(final int i) {
            return timeline.kind(i) == Timeline.ENTERED;
        }

        /**
         * {@return whether the socket left without having entered during the watch}
         *
         * @param i a transition
         */
        public boolean unseenEntry(final int i) {
            return timeline.kind(i) == Timeline.LEFT_UNSEEN;
        }

        /**
         * {@return the state it came from (entering) or went to (leaving)}
         *
         * @param i a transition
         */
        public int otherState(final int i) {
            final int info = timeline.info(i);
            return entered(i) ? EventColumns.oldState(info) : EventColumns.newState(info);
        }

        /**
         * {@return the socket's local port (0 before it was bound)}
         *
         * @param i a transition
         */
        public int localPort(final int i) {
            return EventColumns.localPort(timeline.info(i));
        }

        /**
         * {@return the exact count towards all destinations just after it}
         *
         * @param i a transition
         */
        public int count(final int i) {
            return counts[i];
        }

        /**
         * {@return the exact count towards its destination just after it}
         *
         * @param i a transition
         */
        public int destinationCount(final int i) {
            return destinationCounts[i];
        }
    }
}
