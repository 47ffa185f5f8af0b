package io.halfopen.sim.trace;

import java.util.List;

/**
 * A trace read from a file: its attempts in time order (ties in file order), and what was not used, counted,
 * so that nothing is dropped silently.
 *
 * @param source          the file, as given
 * @param records         the TCP connect attempts, sorted by time
 * @param ignoredNonTcp   lines about UDP or ICMP (which the limit never counts), left out
 * @param withoutDuration accepted or refused connects without a duration, answered after 0 s
 */
public record Trace(String source, List<TraceRecord> records, long ignoredNonTcp, long withoutDuration) {

    /**
     * Copies the list.
     *
     * @param source see the record's description
     * @param records see the record's description
     * @param ignoredNonTcp see the record's description
     * @param withoutDuration see the record's description
     */
    public Trace {
        records = List.copyOf(records);
    }

    /**
     * Says in one line what was read and what was left out.
     *
     * @return the summary
     */
    public String summary() {
        return source + ": " + records.size() + " TCP connect attempts" + (ignoredNonTcp > 0 ? ", " + ignoredNonTcp
                + " non-TCP lines left out (UDP and ICMP are never counted)" : "") + (withoutDuration > 0 ? ", "
                + withoutDuration + " answered connects without a duration (taken as answered at once)" : "");
    }
}
