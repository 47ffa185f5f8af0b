package io.halfopen.agent.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A host whose outbound connect slots are all taken: it starts {@code count} connects to a dropping peer, waits
 * (through JMX, by name only: it links nothing of halfopen) until the throttle holds 10 and queues the rest, then
 * serves inbound TCP connections and echoes UDP datagrams, and says {@code READY}. On {@code DONE} from its
 * standard input it prints what it served and the throttle's state.
 * Arguments: {@code dropHost:dropPort count}.
 */
public final class SaturatedHost {

    private SaturatedHost() {
    }

    public static void main(final String[] args) throws Exception {
        final String[] drop = args[0].split(":");
        final InetSocketAddress dropPeer = new InetSocketAddress(drop[0], Integer.parseInt(drop[1]));
        final int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            final Thread t = new Thread(() -> {
                try (Socket s = new Socket()) {
                    s.connect(dropPeer);
                } catch (final Exception ignored) {
                    // ends when the JVM exits
                }
            });
            t.setDaemon(true);
            t.start();
        }
        final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        final ObjectName throttle = new ObjectName("io.halfopen:type=HalfOpenLimiter");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((int) jmx.getAttribute(throttle, "HalfOpen") < 10 || (int) jmx.getAttribute(throttle, "Queued") < count - 10) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the throttle never filled: " + jmx.getAttribute(throttle, "HalfOpen"));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong echoed = new AtomicLong();
        final ServerSocket server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
        final Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet(); // before the greeting: the test says DONE once it reads the last
                        s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            } catch (final Exception closed) {
                // done
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        final DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        final Thread echo = new Thread(() -> {
            final byte[] buffer = new byte[512];
            try {
                while (true) {
                    final DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                    udp.receive(p);
                    echoed.incrementAndGet(); // before the echo, for the same reason
                    udp.send(new DatagramPacket(p.getData(), p.getLength(), p.getSocketAddress()));
                }
            } catch (final Exception closed) {
                // done
            }
        });
        echo.setDaemon(true);
        echo.start();
        System.out.println("READY tcp=" + server.getLocalPort() + " udp=" + udp.getLocalPort());
        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("DONE")) {
            // wait for the test
        }
        System.out.println("RESULT accepted=" + accepted.get() + " echoed=" + echoed.get() + " halfOpen="
                + jmx.getAttribute(throttle, "HalfOpen") + " queued=" + jmx.getAttribute(throttle, "Queued")
                + " limitReachedEvents=" + jmx.getAttribute(throttle, "LimitReachedEvents")
                + " limitedPaths=" + String.join(",", (String[]) jmx.getAttribute(throttle, "LimitedPaths")));
        System.exit(0);
    }
}
