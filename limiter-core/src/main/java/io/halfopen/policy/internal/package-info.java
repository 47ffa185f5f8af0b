/**
 * Not API, not exported: the lock-free FIFO queueing semaphore behind XP's cap
 * ({@link io.halfopen.policy.AdmissionPolicy#halfOpenCap(int)}). Every invariant and the memory-ordering
 * argument are in {@link io.halfopen.policy.internal.QueueingSemaphore}'s class comment. Depends on nothing of
 * halfopen's: the policy package uses it, never the other way round.
 */
package io.halfopen.policy.internal;
