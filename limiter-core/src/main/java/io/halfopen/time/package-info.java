/**
 * Time for halfopen: the {@link io.halfopen.time.Ticker} every policy reads and the
 * {@link io.halfopen.time.Scheduler} every timeout is armed on. Production passes the system ones (the system
 * scheduler is the process's shared {@link io.halfopen.time.TimerWheel}, a coarse hashed timing wheel on one
 * daemon thread, whose precision is a documented option), tests and the simulator a
 * {@link io.halfopen.time.VirtualClock}: one policy, two clocks. A timer that must cost no allocation is a
 * {@link io.halfopen.time.TimerNode}, armed with {@link io.halfopen.time.Scheduler#arm}.
 */
package io.halfopen.time;
