/**
 * Admission policies: when may an outbound connect attempt go half-open? {@link
 * io.halfopen.policy.AdmissionPolicy} is the seam, {@link io.halfopen.policy.AdmissionGate} its contract (what
 * the limiter guarantees a gate, what a gate must guarantee, how gates compose), {@link
 * io.halfopen.policy.AdmissionTicket} and {@link io.halfopen.policy.Admission} the two sides of one attempt.
 * XP SP2's FIFO cap ({@link io.halfopen.policy.AdmissionPolicy#halfOpenCap(int)}) and the unlimited policy of
 * later Windows versions ({@link io.halfopen.policy.AdmissionPolicy#unlimited()}) are built in. Policies get
 * time only from their {@link io.halfopen.policy.PolicyContext}, so the simulator runs the production code in
 * virtual time.
 *
 * <p>Depends on {@code io.halfopen.time} and on its own {@code internal} package (the lock-free semaphore,
 * not exported), never on the limiter.
 */
package io.halfopen.policy;
