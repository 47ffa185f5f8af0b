package io.halfopen.netty;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The io_uring transport of whichever Netty line is on the test class path, found by reflection: Netty 4.2's
 * {@code io.netty.channel.uring} ({@code MultiThreadIoEventLoopGroup} with {@code IoUringIoHandler}), else the
 * incubator's {@code io.netty.incubator.channel.uring} ({@code IOUringEventLoopGroup}), which is Netty 4.1's.
 * Immutable once loaded.
 */
final class IoUringTransport {

    private static final IoUringTransport INSTANCE = load();

    private final String name;
    private final Class<?> availability; // IoUring or IOUring: isAvailable(), unavailabilityCause()
    private final Class<? extends SocketChannel> channelClass;
    private final GroupFactory groups;
    private final Throwable missing;

    private interface GroupFactory {
        EventLoopGroup newGroup(int threads) throws ReflectiveOperationException;
    }

    private IoUringTransport(final String name, final Class<?> availability,
            final Class<? extends SocketChannel> channelClass, final GroupFactory groups, final Throwable missing) {
        this.name = name;
        this.availability = availability;
        this.channelClass = channelClass;
        this.groups = groups;
        this.missing = missing;
    }

    static IoUringTransport get() {
        return INSTANCE;
    }

    private static IoUringTransport load() {
        final ClassLoader loader = IoUringTransport.class.getClassLoader();
        try {
            final Class<?> factoryType = Class.forName("io.netty.channel.IoHandlerFactory", false, loader);
            final Class<?> handler = Class.forName("io.netty.channel.uring.IoUringIoHandler", false, loader);
            final Class<?> group = Class.forName("io.netty.channel.MultiThreadIoEventLoopGroup", false, loader);
            return new IoUringTransport("Netty 4.2 io_uring",
                    Class.forName("io.netty.channel.uring.IoUring", false, loader),
                    Class.forName("io.netty.channel.uring.IoUringSocketChannel", false, loader)
                            .asSubclass(SocketChannel.class),
                    threads -> (EventLoopGroup) group.getConstructor(int.class, factoryType)
                            .newInstance(threads, handler.getMethod("newFactory").invoke(null)),
                    null);
        } catch (final ClassNotFoundException | LinkageError notNetty42) {
            try {
                final Class<?> group = Class.forName("io.netty.incubator.channel.uring.IOUringEventLoopGroup", false,
                        loader);
                return new IoUringTransport("the incubator's io_uring (Netty 4.1)",
                        Class.forName("io.netty.incubator.channel.uring.IOUring", false, loader),
                        Class.forName("io.netty.incubator.channel.uring.IOUringSocketChannel", false, loader)
                                .asSubclass(SocketChannel.class),
                        threads -> (EventLoopGroup) group.getConstructor(int.class).newInstance(threads), null);
            } catch (final ClassNotFoundException | LinkageError neither) {
                neither.addSuppressed(notNetty42);
                return new IoUringTransport("no io_uring transport on the class path", null, null, null, neither);
            }
        }
    }

    /** Whether io_uring should load here: Linux on x86_64 (the classifier the tests depend on), not disabled. */
    static boolean expectedHere() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return false;
        }
        final String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            return false;
        }
        try {
            return "0".equals(Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).trim());
        } catch (final IOException noSuchSetting) {
            return true; // kernels before 6.6 have no switch: io_uring is on
        }
    }

    String describe() {
        return name;
    }

    boolean isAvailable() {
        if (availability == null) {
            return false;
        }
        try {
            return (Boolean) availability.getMethod("isAvailable").invoke(null);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    Throwable unavailabilityCause() {
        if (availability == null) {
            return missing;
        }
        try {
            return (Throwable) availability.getMethod("unavailabilityCause").invoke(null);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    Class<? extends SocketChannel> channelClass() {
        if (channelClass == null) {
            throw new IllegalStateException(name, missing);
        }
        return channelClass;
    }

    EventLoopGroup newGroup(final int threads) {
        if (groups == null) {
            throw new IllegalStateException(name, missing);
        }
        try {
            return groups.newGroup(threads);
        } catch (final ReflectiveOperationException e) {
            throw new IllegalStateException("could not create an event loop group of " + name, e);
        }
    }
}
