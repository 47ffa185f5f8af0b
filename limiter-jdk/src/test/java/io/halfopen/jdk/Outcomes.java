package io.halfopen.jdk;

/** Looking into the cause chains that real clients wrap connect failures in. */
final class Outcomes {

    private Outcomes() {
    }

    /** The first cause of {@code t} (itself included) of {@code type}, or an assertion error naming the chain. */
    static <T extends Throwable> T causeOfType(final Throwable t, final Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + t, t);
    }
}
