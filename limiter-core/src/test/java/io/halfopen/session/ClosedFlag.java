package io.halfopen.session;

import java.util.concurrent.atomic.AtomicInteger;

/** Test helper: a disconnect callback that counts how often the limiter closed "the socket". */
final class ClosedFlag implements Runnable {

    private final AtomicInteger closes = new AtomicInteger();

    @Override
    public void run() {
        closes.incrementAndGet();
    }

    int closes() {
        return closes.get();
    }

    boolean closed() {
        return closes.get() > 0;
    }
}
