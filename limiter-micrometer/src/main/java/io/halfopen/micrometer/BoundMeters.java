package io.halfopen.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters one binder registered in one registry, and how to unregister the listener that feeds them, so that
 * the binder's {@code close()} can take both away. Not thread-safe: the binders guard it with their own lock.
 */
final class BoundMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private Runnable unregisterListener = () -> { };

    BoundMeters(final MeterRegistry registry) {
        this.registry = registry;
    }

    /** Remembers {@code meter} for {@link #remove()} and returns it. */
    <M extends Meter> M add(final M meter) {
        meters.add(meter);
        return meter;
    }

    /** The registry these meters are in. */
    MeterRegistry registry() {
        return registry;
    }

    /** Remembers how to stop the listener that feeds these meters. */
    void listening(final Runnable unregister) {
        this.unregisterListener = unregister;
    }

    /** Stops feeding the meters, then removes them from the registry. */
    void remove() {
        unregisterListener.run();
        for (final Meter meter : meters) {
            registry.remove(meter);
        }
        meters.clear();
    }
}
