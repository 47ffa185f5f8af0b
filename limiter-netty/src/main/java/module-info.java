/**
 * halfopen's Netty handlers: {@code HalfOpenLimitHandler} (outbound, the half-open cap) and
 * {@code InboundSessionLimitHandler} (server side, the session limit), in {@code io.halfopen.netty}.
 * The native transports' unix-common module is optional: read only when it is present.
 */
module io.halfopen.netty {
    requires transitive io.halfopen.limiter;
    requires transitive io.netty.transport;
    requires io.netty.common;
    requires io.netty.buffer;
    requires static io.netty.transport.unix.common;
    requires org.slf4j;

    exports io.halfopen.netty;
}
