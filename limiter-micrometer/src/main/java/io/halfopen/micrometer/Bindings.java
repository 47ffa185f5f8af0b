package io.halfopen.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one binder bound, registry by registry, and whether it was closed: the part both binders share. Not
 * thread-safe: each binder calls it under its own lock.
 */
final class Bindings {

    private final String binder;
    private final List<BoundMeters> bound = new ArrayList<>();
    private boolean closed;

    /** @param binder names the binder in error messages */
    Bindings(final String binder) {
        this.binder = binder;
    }

    /** The user's tags with {@code limiter=<name>}; refuses a tag of their own named {@code limiter}. */
    static Tags withLimiterTag(final Iterable<Tag> tags, final String name, final String hint) {
        final Tags extra = Tags.of(Objects.requireNonNull(tags, "tags"));
        extra.stream().filter(tag -> tag.getKey().equals("limiter")).findAny().ifPresent(tag -> {
            throw new IllegalArgumentException("the tag 'limiter' is the limiter's name ('" + name + "'); " + hint
                    + " instead of tagging limiter=" + tag.getValue());
        });
        return extra.and("limiter", name);
    }

    /** Starts binding to {@code registry}: the meters are remembered there until {@link #close()}. */
    BoundMeters start(final MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        if (closed) {
            throw new IllegalStateException(binder + " was closed; make a new binder");
        }
        final BoundMeters meters = new BoundMeters(registry);
        bound.add(meters);
        return meters;
    }

    /** Stops every listener and removes every meter, in every registry. Idempotent. */
    void close() {
        closed = true;
        for (final BoundMeters meters : bound) {
            meters.remove();
        }
        bound.clear();
    }
}
