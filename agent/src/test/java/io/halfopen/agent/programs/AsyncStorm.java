package io.halfopen.agent.programs;

import java.net.InetSocketAddress;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * {@code AsynchronousSocketChannel} connects, all at once: even targets through the {@link Future} form, odd ones
 * through a {@link CompletionHandler}. Knows nothing of halfopen. Arguments: {@code host:port:count ...}.
 */
public final class AsyncStorm {

    private AsyncStorm() {
    }

    public static void main(final String[] args) throws Exception {
        final List<InetSocketAddress> targets = Targets.parse(args, 0);
        final Targets.Tally tally = new Targets.Tally();
        final CountDownLatch done = new CountDownLatch(targets.size());
        final List<Future<Void>> futures = new ArrayList<>();
        final List<AsynchronousSocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            final AsynchronousSocketChannel channel = AsynchronousSocketChannel.open();
            channels.add(channel);
            if (i % 2 == 0) {
                futures.add(channel.connect(targets.get(i)));
            } else {
                channel.connect(targets.get(i), null, new CompletionHandler<Void, Void>() {
                    @Override
                    public void completed(final Void result, final Void attachment) {
                        tally.count("established");
                        done.countDown();
                    }

                    @Override
                    public void failed(final Throwable exc, final Void attachment) {
                        tally.failure(exc);
                        done.countDown();
                    }
                });
            }
        }
        for (final Future<Void> f : futures) {
            try {
                f.get(120, TimeUnit.SECONDS);
                tally.count("established");
            } catch (final java.util.concurrent.TimeoutException e) {
                tally.count("hung");
            } catch (final Exception e) {
                tally.failure(e);
            }
            done.countDown();
        }
        if (!done.await(120, TimeUnit.SECONDS)) {
            tally.count("hung");
        }
        for (final AsynchronousSocketChannel channel : channels) {
            channel.close();
        }
        tally.print("connects=" + targets.size());
    }
}
