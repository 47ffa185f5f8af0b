/**
 * Admission policies: when may an outbound connect attempt go half-open? {@link
 * io.halfopen.policy.AdmissionPolicy} is the seam; XP SP2's FIFO cap ({@link
 * io.halfopen.policy.AdmissionPolicy#halfOpenCap(int)}) and the unlimited policy of later Windows versions
 * ({@link io.halfopen.policy.AdmissionPolicy#unlimited()}) are the two built in. Policies get time only from
 * their {@link io.halfopen.policy.PolicyContext}, so the simulator runs the production code in virtual time.
 */
package io.halfopen.policy;
