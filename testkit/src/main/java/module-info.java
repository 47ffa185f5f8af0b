/**
 * The kernel as the judge of "never more than N half-open", and the loopback peers tests connect to.
 * {@link io.halfopen.testkit.KernelJudge} is the entry point; {@code io.halfopen.testkit.internal} (tracefs, the
 * ring-buffer reader) is not exported. Netty is needed only by {@link io.halfopen.testkit.LoopbackServer}.
 */
module io.halfopen.testkit {
    exports io.halfopen.testkit;

    requires static transitive io.netty.transport;
    requires static io.netty.common;
}
