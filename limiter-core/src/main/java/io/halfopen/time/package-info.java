/**
 * Time for halfopen: the {@link io.halfopen.time.Ticker} every policy reads and the
 * {@link io.halfopen.time.Scheduler} every timeout is armed on. Production passes the system ones, tests and
 * the simulator a {@link io.halfopen.time.VirtualClock}: one policy, two clocks.
 */
package io.halfopen.time;
