package io.halfopen.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.OpenHandle;
import io.halfopen.session.SessionInfo;
import io.halfopen.session.SessionRefusedException;
import io.halfopen.time.VirtualClock;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 20, defect 2, end to end against a real Netty server on loopback: KB 328459 as a test suite would
 * reproduce it. Computer 127.0.0.2 logs on anonymously and opens {@code \PIPE\spoolss}, and its
 * {@code OpenPrinter} never answers; nine users on 127.0.0.3 to .11 log on and keep working. Sixteen virtual
 * minutes later, past the 60 s null-session timeout and the 15 minute AutoDisconnect, the null session is
 * still there with its growing idle time, the XP Professional server is at its limit of ten, and the eleventh
 * computer is refused. {@code net session /delete \\127.0.0.2} closes the culprit's socket and lets the
 * eleventh in; with null sessions restricted the culprit never takes a place.
 *
 * <p>The server speaks a line protocol shaped like SMB's steps: {@code USER name} (session setup as a user),
 * {@code NULL} (anonymous session setup), {@code OPEN path} (open a file or pipe), {@code NOOP}. Idle times run
 * on a {@link VirtualClock} the test advances; the sockets are real.
 */
@DisplayName("KB 328459 on a real Netty server: a stuck \\PIPE\\spoolss null session exhausts the limit")
class Kb328459ServerTest {

    private static final String GREETING = "220 print server ready";
    private static final String REFUSAL_LINE = "421 4.7.0 Too many connections, try again later";
    private static final String SPOOLSS = "\\PIPE\\spoolss";

    private final VirtualClock clock = new VirtualClock();
    private final List<Client> clients = new ArrayList<>();
    private final List<Client> users = new ArrayList<>();
    private PrintServer server;

    @AfterEach
    void tearDown() {
        clients.forEach(Client::close);
        if (server != null) {
            server.close();
        }
    }

    private Client connect(final int host) {
        final Client client = new Client(host, server.address());
        clients.add(client);
        return client;
    }

    private Client connectAdmitted(final int host) {
        final Client client = connect(host);
        assertEquals(GREETING, client.readLine(), "127.0.0." + host + " should be admitted");
        return client;
    }

    private static String ask(final Client client, final String command) {
        client.send(command);
        return client.readLine();
    }

    private void nineUsersLogOn() {
        for (int host = 3; host <= 11; host++) {
            final Client user = connectAdmitted(host);
            assertEquals("235 logged on as user" + host, ask(user, "USER user" + host));
            users.add(user);
        }
    }

    /** Virtual minutes pass; every user does something each minute (the read refreshes its idle time). */
    private void minutesOfWork(final int minutes) {
        for (int minute = 0; minute < minutes; minute++) {
            clock.advance(Duration.ofMinutes(1));
            users.forEach(user -> assertEquals("250 ok", ask(user, "NOOP")));
        }
    }

    private SessionInfo culpritRow() {
        return server.limiter().sessions().find("\\\\127.0.0.2").orElseThrow();
    }

    @Test
    void theStuckNullSessionOutlivesItsTimeoutsAndTheEleventhComputerIsRefusedUntilNetSessionDelete()
            throws Exception {
        server = new PrintServer(InboundSessionLimiter.builder().clock(clock).build());
        final Client culprit = connectAdmitted(2);
        assertEquals("235 null session", ask(culprit, "NULL"));
        assertEquals("250 opened " + SPOOLSS, ask(culprit, "OPEN " + SPOOLSS));
        nineUsersLogOn();

        minutesOfWork(2);
        final Duration idleAfterTwoMinutes = culpritRow().idleTime();
        minutesOfWork(14);

        final SessionInfo stuck = culpritRow();
        System.out.print(server.limiter().sessions().render());
        assertEquals(Duration.ofMinutes(2), idleAfterTwoMinutes);
        assertEquals(Duration.ofMinutes(16), stuck.idleTime(), "its idle time only grows");
        assertTrue(stuck.nullSession());
        assertEquals("", stuck.userName());
        assertEquals(1, stuck.opens());
        assertEquals(10, server.limiter().stats().sessions());
        assertEquals(0, server.limiter().stats().expiredNullSessions() + server.limiter().stats().autoDisconnected());

        final Client eleventh = connect(12);
        assertEquals(REFUSAL_LINE, eleventh.readLine());
        assertTrue(eleventh.atEndOfStream());
        assertEquals(1, server.limiter().stats().refused());

        assertEquals(1, server.limiter().disconnect("\\\\127.0.0.2"));
        assertTrue(culprit.atEndOfStream(), "net session /delete closed the culprit's socket");
        Await.until("the server sees the culprit's channel closed", () -> server.openChannels() == 9);
        assertTrue(server.pipes().stream().noneMatch(OpenHandle::isOpen), "and its pipe");

        connectAdmitted(12);
        assertEquals(10, server.limiter().stats().sessions());
        assertTrue(server.limiter().sessions().find("127.0.0.12").isPresent());
    }

    @Test
    @DisplayName("with null sessions restricted (RestrictAnonymous) the culprit is refused with error 5 and the eleventh gets in")
    void restrictedNullSessionsLeaveThePlaceForTheEleventhComputer() throws Exception {
        server = new PrintServer(InboundSessionLimiter.builder().restrictAnonymous(true).clock(clock).build());
        final Client culprit = connectAdmitted(2);

        assertEquals("530 5 Access is denied.", ask(culprit, "NULL"));
        assertTrue(culprit.atEndOfStream(), "the server closes a connection whose logon failed");
        Await.until("the culprit's session ends", () -> server.limiter().sessions().find("127.0.0.2").isEmpty());
        nineUsersLogOn();
        minutesOfWork(16);

        connectAdmitted(12);
        assertEquals(10, server.limiter().stats().sessions());
        assertEquals(0, server.limiter().stats().nullSessions());
        assertEquals(1, server.limiter().stats().refusedAnonymous());
    }

    /**
     * The fixture: a Netty NIO server on 127.0.0.1 whose child pipeline is {@link InboundSessionLimitHandler},
     * then the line protocol. Listens on loopback only.
     */
    private static final class PrintServer implements AutoCloseable {

        @SuppressWarnings("deprecation") // NioEventLoopGroup: deprecated in 4.2, the only NIO group in 4.1
        private final EventLoopGroup group = new NioEventLoopGroup(1);
        private final InboundSessionLimiter limiter;
        private final List<OpenHandle> pipes = new CopyOnWriteArrayList<>();
        private final List<Channel> children = new CopyOnWriteArrayList<>();
        private final Channel serverChannel;

        PrintServer(final InboundSessionLimiter limiter) throws InterruptedException {
            this.limiter = limiter;
            final InboundSessionLimitHandler sessions =
                    new InboundSessionLimitHandler(limiter).withRefusalLine(REFUSAL_LINE + "\r\n");
            serverChannel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(final SocketChannel ch) {
                            ch.pipeline().addLast(sessions, new LineProtocol());
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
        }

        InetSocketAddress address() {
            return (InetSocketAddress) serverChannel.localAddress();
        }

        InboundSessionLimiter limiter() {
            return limiter;
        }

        List<OpenHandle> pipes() {
            return pipes;
        }

        long openChannels() {
            return children.stream().filter(Channel::isOpen).count();
        }

        @Override
        public void close() {
            serverChannel.close().syncUninterruptibly();
            children.forEach(Channel::close);
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }

        /** USER name, NULL, OPEN path, NOOP; one reply line each; a refused logon is answered, then closed. */
        private final class LineProtocol extends ChannelInboundHandlerAdapter {
            private final StringBuilder line = new StringBuilder();

            @Override
            public void channelActive(final ChannelHandlerContext ctx) {
                children.add(ctx.channel());
                reply(ctx, GREETING);
            }

            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg) {
                final ByteBuf buf = (ByteBuf) msg;
                try {
                    line.append(buf.toString(StandardCharsets.US_ASCII));
                } finally {
                    buf.release();
                }
                int end;
                while ((end = line.indexOf("\n")) >= 0) {
                    final String command = line.substring(0, end).strip();
                    line.delete(0, end + 1);
                    execute(ctx, command);
                }
            }

            private void execute(final ChannelHandlerContext ctx, final String command) {
                try {
                    if (command.startsWith("USER ")) {
                        InboundSessionLimitHandler.authenticate(ctx.channel(), command.substring(5), "Windows 2000 2195");
                        reply(ctx, "235 logged on as " + command.substring(5));
                    } else if (command.equals("NULL")) {
                        InboundSessionLimitHandler.authenticateAnonymously(ctx.channel());
                        reply(ctx, "235 null session");
                    } else if (command.startsWith("OPEN ")) {
                        pipes.add(InboundSessionLimitHandler.open(ctx.channel(), command.substring(5)));
                        reply(ctx, "250 opened " + command.substring(5));
                    } else {
                        reply(ctx, "250 ok");
                    }
                } catch (final SessionRefusedException refused) {
                    ctx.writeAndFlush(ascii("530 " + refused.errorCode() + " " + refused.errorText()))
                            .addListener(ChannelFutureListener.CLOSE);
                }
            }

            private void reply(final ChannelHandlerContext ctx, final String text) {
                ctx.writeAndFlush(ascii(text));
            }

            private ByteBuf ascii(final String text) {
                return Unpooled.copiedBuffer(text + "\r\n", StandardCharsets.US_ASCII);
            }
        }
    }
}
