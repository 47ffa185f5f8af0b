package io.halfopen.agent.programs;

import java.lang.management.ManagementFactory;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What a non-blocking {@code SocketChannel} connect looks like to an application while the agent holds it (run
 * with {@code maxHalfOpen=1}): each check prints {@code CHECK name=value}, and the last line is a {@code RESULT}
 * with all of them. Knows nothing of halfopen but the MBean's name. Arguments: {@code accept drop refuse}
 * ({@code host:port} each).
 */
public final class HeldChannelSemantics {

    private static final List<String> CHECKS = new ArrayList<>();

    private HeldChannelSemantics() {
    }

    private static void check(final String name, final Object value) {
        final String text = String.valueOf(value).replace(' ', '_'); // RESULT is space-separated
        System.out.println("CHECK " + name + "=" + text);
        CHECKS.add(name + "=" + text);
    }

    private static InetSocketAddress address(final String hostPort) {
        final String[] parts = hostPort.split(":");
        return new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
    }

    private static SocketChannel nonBlocking() throws Exception {
        final SocketChannel ch = SocketChannel.open();
        ch.configureBlocking(false);
        return ch;
    }

    public static void main(final String[] args) throws Exception {
        final InetSocketAddress accept = address(args[0]);
        final InetSocketAddress drop = address(args[1]);
        final InetSocketAddress refuse = address(args[2]);
        final MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        final ObjectName throttle = new ObjectName("io.halfopen:type=HalfOpenLimiter");

        // the one slot, taken by a connect to the dropping peer
        final SocketChannel a = nonBlocking();
        check("firstConnectReturns", a.connect(drop));
        check("halfOpenAfterFirst", jmx.getAttribute(throttle, "HalfOpen"));

        // a second connect is held: no SYN, but pending as the JDK documents
        final SocketChannel b = nonBlocking();
        check("heldConnectReturns", b.connect(accept));
        check("heldIsConnectionPending", b.isConnectionPending());
        check("heldIsConnected", b.isConnected());
        check("heldFinishConnect", b.finishConnect());
        String second;
        try {
            b.connect(accept);
            second = "no exception";
        } catch (final ConnectionPendingException e) {
            second = "ConnectionPendingException";
        }
        check("heldConnectAgain", second);
        check("heldNonBlockingConnects", jmx.getAttribute(throttle, "HeldNonBlockingConnects"));

        // registered for OP_CONNECT while held: the selector must not spin (an unconnected socket polls ready)
        final Selector selector = Selector.open();
        b.register(selector, SelectionKey.OP_CONNECT);
        int wakeups = 0;
        int ready = 0;
        final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        while (System.nanoTime() < until) {
            ready += selector.select(100);
            wakeups++;
        }
        check("heldSelectReady", ready);
        check("heldSelectLoops", wakeups);

        // a third, held behind b, closed while held: it leaves the queue at once
        final SocketChannel c = nonBlocking();
        c.connect(accept);
        final int queuedBefore = (int) jmx.getAttribute(throttle, "Queued");
        c.close();
        check("queuedBeforeAndAfterClosingAHeldConnect", queuedBefore + "/" + jmx.getAttribute(throttle, "Queued"));

        // the slot frees (a closes): b is granted, its selector fires OP_CONNECT, finishConnect completes it
        final long freed = System.nanoTime();
        a.close();
        final int n = selector.select(5000);
        check("grantedSelectReady", n);
        check("grantedFinishConnect", n > 0 && b.finishConnect());
        check("grantedIsConnected", b.isConnected());
        check("grantedWithinMillisUnder2000", (System.nanoTime() - freed) / 1_000_000 < 2000);
        b.close();

        // a blocking finishConnect on a held channel waits for the grant
        final SocketChannel holder = nonBlocking();
        holder.connect(drop);
        final SocketChannel d = nonBlocking();
        d.connect(accept);
        d.configureBlocking(true);
        final AtomicReference<Object> blockingResult = new AtomicReference<>();
        final Thread waiter = new Thread(() -> {
            try {
                blockingResult.set(d.finishConnect());
            } catch (final Exception e) {
                blockingResult.set(e);
            }
        });
        waiter.start();
        final long parkDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < parkDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        check("blockingFinishConnectWaits", waiter.getState() == Thread.State.WAITING && blockingResult.get() == null);
        holder.close();
        waiter.join(5000);
        check("blockingFinishConnectAfterGrant", blockingResult.get());
        d.close();

        // refused when granted: finishConnect throws the refusal, as the JDK's does, and the channel is closed
        final SocketChannel holder2 = nonBlocking();
        holder2.connect(drop);
        final SocketChannel e = nonBlocking();
        e.connect(refuse);
        final Selector selector2 = Selector.open();
        e.register(selector2, SelectionKey.OP_CONNECT);
        holder2.close();
        check("refusedSelectReady", selector2.select(5000));
        String refused;
        try {
            refused = "returned " + e.finishConnect();
        } catch (final ConnectException ex) {
            refused = "ConnectException";
        }
        check("refusedFinishConnect", refused);
        check("refusedChannelOpen", e.isOpen());

        // the half-open timeout: the socket is shut down, OP_CONNECT fires, finishConnect says it timed out
        final SocketChannel f = nonBlocking();
        f.connect(drop);
        final Selector selector3 = Selector.open();
        f.register(selector3, SelectionKey.OP_CONNECT);
        final long started = System.nanoTime();
        check("timedOutSelectReady", selector3.select(10_000));
        String timedOut;
        try {
            timedOut = "returned " + f.finishConnect();
        } catch (final ConnectException ex) {
            timedOut = ex.getMessage().startsWith("Connection timed out") ? "ConnectException(timed out)" : ex.toString();
        }
        check("timedOutFinishConnect", timedOut);
        check("timedOutAfterMillisAtLeast1000", (System.nanoTime() - started) / 1_000_000 >= 1000);
        selector.close();
        selector2.close();
        selector3.close();
        f.close();
        final long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (((int) jmx.getAttribute(throttle, "HalfOpen") != 0 || (int) jmx.getAttribute(throttle, "Queued") != 0)
                && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        check("drained", jmx.getAttribute(throttle, "HalfOpen") + "/" + jmx.getAttribute(throttle, "Queued"));
        System.out.println("RESULT " + String.join(" ", CHECKS));
    }
}
