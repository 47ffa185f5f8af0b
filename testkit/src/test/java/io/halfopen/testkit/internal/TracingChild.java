package io.halfopen.testkit.internal;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** A JVM that starts a trace and never stops it: {@code exit} exits at once, {@code hang} waits to be killed. */
final class TracingChild {

    private TracingChild() {
    }

    public static void main(final String[] args) throws Exception {
        TraceSession.start(Destinations.onPorts(List.of(9)), 256);
        System.out.print("ready\n");
        System.out.flush();
        if ("hang".equals(args[0])) {
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
        System.exit(0);
    }
}
