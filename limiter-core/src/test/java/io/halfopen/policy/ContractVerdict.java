package io.halfopen.policy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Runs every specification of {@link AdmissionGateContract} against one gate, outside JUnit's own discovery, and
 * says which failed: how a test tells whether the contract catches a known-bad gate. Each specification gets a
 * fresh instance and gate, as JUnit would give it, and at most {@value #BOUND_SECONDS} s (a hang is a failure).
 */
final class ContractVerdict {

    private static final long BOUND_SECONDS = 60;

    private ContractVerdict() {
    }

    /** Returns the failed specifications by name, with what they threw; empty if the gate passed them all. */
    static Map<String, Throwable> failuresOf(final Supplier<? extends AdmissionGateContract> contract) {
        final Map<String, Throwable> failures = new TreeMap<>();
        for (final Method specification : AdmissionGateContract.class.getMethods()) {
            if (!specification.isAnnotationPresent(Test.class)) {
                continue;
            }
            final AdmissionGateContract instance = contract.get();
            final CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    instance.createGate();
                    specification.invoke(instance);
                } catch (final InvocationTargetException e) {
                    throw new SpecificationFailed(e.getCause());
                } catch (final IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }, task -> {
                final Thread thread = new Thread(task, "contract-" + specification.getName());
                thread.setDaemon(true); // a deadlocked gate must not keep the JVM alive
                thread.start();
            });
            try {
                run.get(BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (final ExecutionException e) {
                failures.put(specification.getName(), e.getCause() instanceof SpecificationFailed failed
                        ? failed.getCause() : e.getCause());
            } catch (final TimeoutException e) {
                failures.put(specification.getName(), e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return failures;
    }

    private static final class SpecificationFailed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SpecificationFailed(final Throwable cause) {
            super(cause);
        }
    }
}
