package io.halfopen.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;

/**
 * The channel options under which no handler can hold the half-open limit, and the error that refuses a connect
 * made with one. Stateless.
 *
 * <p>{@link ChannelOption#TCP_FASTOPEN_CONNECT} (Epoll, io_uring): the transport sends the first bytes in the SYN
 * ({@code sendto(MSG_FASTOPEN)}) and reports the connect done as soon as the kernel has queued them, while the
 * socket is still in SYN_SENT and may stay there until the kernel gives up. The handler would report an
 * established connect and free the slot of a socket that is still half-open (traced in a namespace with
 * {@code net.ipv4.tcp_fastopen=5}: 20 sockets in SYN_SENT at once at a limit of 5).
 */
final class RefusedOptions {

    private RefusedOptions() {
    }

    /**
     * Returns why {@code channel}'s connect to {@code remote} must not be issued, or {@code null} if it may be.
     *
     * @param channel the channel about to connect
     * @param remote where to
     * @return the error to fail the connect with, naming the option, or {@code null}
     */
    static IllegalArgumentException refusal(final Channel channel, final InetSocketAddress remote) {
        final Object fastOpen;
        try {
            fastOpen = channel.config().getOption(ChannelOption.TCP_FASTOPEN_CONNECT);
        } catch (final RuntimeException unsupported) {
            return null; // a transport without the option cannot use it
        }
        if (!Boolean.TRUE.equals(fastOpen)) {
            return null;
        }
        return new IllegalArgumentException("HalfOpenLimitHandler refuses the connect of " + channel + " to "
                + remote + ": ChannelOption.TCP_FASTOPEN_CONNECT is true. With TCP Fast Open the transport reports"
                + " the connect done as soon as the SYN (with the first bytes) is queued, while the socket is still"
                + " in SYN_SENT, so the half-open limit could not hold. Set TCP_FASTOPEN_CONNECT to false on the"
                + " channels this handler limits; the connect was not issued");
    }
}
