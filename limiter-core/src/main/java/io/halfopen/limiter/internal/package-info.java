/**
 * Not API. The lock-free FIFO queueing semaphore behind XP's cap; every invariant and the memory-ordering
 * argument are in {@link io.halfopen.limiter.internal.QueueingSemaphore}'s class comment.
 */
package io.halfopen.limiter.internal;
