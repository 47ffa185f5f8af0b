package io.halfopen.agent.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A server that greets every connection it accepts with {@code hello} and keeps it open: through a
 * {@code ServerSocket} ({@code socket}), a blocking {@code ServerSocketChannel} ({@code channel}) or a
 * non-blocking one under a selector ({@code selector}). Knows nothing of halfopen. Prints {@code READY port=N};
 * on {@code DONE} from standard input prints how many it accepted. Arguments: {@code mode}.
 */
public final class SessionServer {

    private SessionServer() {
    }

    public static void main(final String[] args) throws Exception {
        final AtomicLong accepted = new AtomicLong();
        final List<AutoCloseable> open = new ArrayList<>();
        final byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
        final int port;
        final Thread loop;
        switch (args[0]) {
            case "socket" -> {
                final ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
                port = server.getLocalPort();
                loop = new Thread(() -> {
                    try {
                        while (true) {
                            final Socket s = server.accept();
                            accepted.incrementAndGet(); // before the greeting: the test may say DONE once it reads it
                            s.getOutputStream().write(hello);
                            synchronized (open) {
                                open.add(s);
                            }
                        }
                    } catch (final Exception closed) {
                        // done
                    }
                });
            }
            case "channel" -> {
                final ServerSocketChannel server = ServerSocketChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
                port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                loop = new Thread(() -> {
                    try {
                        while (true) {
                            final SocketChannel s = server.accept();
                            accepted.incrementAndGet();
                            s.write(ByteBuffer.wrap(hello));
                            synchronized (open) {
                                open.add(s);
                            }
                        }
                    } catch (final Exception closed) {
                        // done
                    }
                });
            }
            default -> {
                final ServerSocketChannel server = ServerSocketChannel.open()
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
                server.configureBlocking(false);
                port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                final Selector selector = Selector.open();
                server.register(selector, SelectionKey.OP_ACCEPT);
                loop = new Thread(() -> {
                    try {
                        while (true) {
                            selector.select();
                            selector.selectedKeys().clear();
                            SocketChannel s;
                            while ((s = server.accept()) != null) {
                                accepted.incrementAndGet();
                                s.write(ByteBuffer.wrap(hello));
                                synchronized (open) {
                                    open.add(s);
                                }
                            }
                        }
                    } catch (final Exception closed) {
                        // done
                    }
                });
            }
        }
        loop.setDaemon(true);
        loop.start();
        System.out.println("READY port=" + port);
        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("DONE")) {
            // wait for the test
        }
        System.out.println("RESULT accepted=" + accepted.get());
        System.exit(0);
    }
}
