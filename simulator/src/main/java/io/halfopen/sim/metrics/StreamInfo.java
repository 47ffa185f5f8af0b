package io.halfopen.sim.metrics;

/**
 * One part of a host's workload, as metrics keep it apart: a benign desktop, a mail burst, a scanner.
 *
 * @param name   the workload's spec, as reports print it
 * @param benign whether it is benign (its added delay is the cost of the policy) or malicious (a scanner)
 */
public record StreamInfo(String name, boolean benign) {
}
