package io.halfopen.agent;

import io.halfopen.testkit.KernelJudge;
import io.halfopen.testkit.SynSentVerdict;
import io.halfopen.testkit.SynSentWatch;
import java.net.InetSocketAddress;
import java.util.Collection;

/**
 * A scenario's result and the kernel's verdict on it: testkit's {@link KernelJudge} watching the scenario's peers
 * while it runs (the exact trace as root, and always under {@code CI=true}; the {@code /proc} sampler otherwise,
 * which the verdict then says). Each verdict is labelled with the test class and method that asked for it, so
 * that its evidence file ({@code $HALFOPEN_JUDGE_EVIDENCE}) starts with the test's class name, as
 * {@code .ci/run}'s {@code judged} check expects.
 *
 * @param result  what the scenario returned
 * @param verdict the kernel's verdict over the scenario
 * @param <T>     the scenario's result
 */
record Judged<T>(T result, SynSentVerdict verdict) {

    /** A scenario to run under the judge. */
    @FunctionalInterface
    interface Scenario<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code scenario} while the kernel's SYN_SENT sockets towards {@code peers} are watched.
     *
     * @param peers    the scenario's own peers
     * @param scenario what to run
     * @return its result and the verdict
     * @throws Exception what the scenario throws, or the judge's failure (no trace under {@code CI=true})
     */
    static <T> Judged<T> run(final Collection<InetSocketAddress> peers, final Scenario<T> scenario) throws Exception {
        try (SynSentWatch kernel = KernelJudge.watcher().label(caller()).watch(peers)) {
            final T result = scenario.run();
            return new Judged<>(result, kernel.stop());
        }
    }

    /** {@code SocketStormJvmTest.withTheAgent...}: the first frame outside this class. */
    private static String caller() {
        return StackWalker.getInstance().walk(frames -> frames
                .filter(frame -> !frame.getClassName().equals(Judged.class.getName()))
                .findFirst()
                .map(frame -> {
                    final String name = frame.getClassName();
                    return name.substring(name.lastIndexOf('.') + 1) + "." + frame.getMethodName();
                })
                .orElse("agent"));
    }
}
