package io.halfopen.sim.trace;

import io.halfopen.sim.net.Answer;
import java.net.InetSocketAddress;

/**
 * One connect attempt of a trace.
 *
 * @param timeNanos when it was made, from the trace's first attempt
 * @param remote    the destination
 * @param outcome   how it was answered
 * @param rttNanos  after how long (0 for a drop: the stack's give-up decides)
 * @param line      the line of the file it came from, 1-based
 */
public record TraceRecord(long timeNanos, InetSocketAddress remote, Answer outcome, long rttNanos, long line) {
}
