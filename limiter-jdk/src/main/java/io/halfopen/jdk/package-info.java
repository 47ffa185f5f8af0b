/**
 * halfopen for plain JDK sockets.
 * <ul>
 *   <li>{@link io.halfopen.jdk.HalfOpenSocketFactory}: a {@code javax.net.SocketFactory} whose sockets wait for a
 *       half-open slot inside {@code connect(address, timeout)}, the wait charged to the timeout.</li>
 *   <li>{@link io.halfopen.jdk.HalfOpenSSLSocketFactory}: TLS layered over those sockets, so only the TCP
 *       handshake counts.</li>
 *   <li>{@link io.halfopen.jdk.HalfOpenSocketChannels}: blocking {@code SocketChannel} connects.</li>
 *   <li>{@link io.halfopen.jdk.BlockingConnect}: the one blocking-connect state machine behind all three, for
 *       any other blocking socket (a Java agent's instrumented connects): the timeout rules, the outcome
 *       reports, interrupts, closes from other threads, no pinning.</li>
 * </ul>
 * Adapters for clients: {@code io.halfopen.jdk.okhttp}, {@code io.halfopen.jdk.httpclient5},
 * {@code io.halfopen.jdk.mail}.
 */
package io.halfopen.jdk;
