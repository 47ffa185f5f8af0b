package io.halfopen.agent;

import java.lang.instrument.Instrumentation;

/**
 * The agent's entry points: {@code -javaagent:halfopen-agent.jar=OPTIONS} ({@link #premain}), an attach to a
 * running JVM ({@link #agentmain}), and {@code java -jar halfopen-agent.jar PID [OPTIONS]}, which attaches to the
 * JVM with that process id ({@link #main}).
 *
 * <p>This class refers to nothing but the JDK, so that loading it loads nothing else: the bridge classes must
 * reach the bootstrap class path before any other agent class is loaded.
 */
public final class HalfOpenAgent {

    private HalfOpenAgent() {
    }

    /**
     * Called by the JVM for {@code -javaagent:halfopen-agent.jar=OPTIONS}, before the application's
     * {@code main}.
     *
     * @param args the options ({@code key=value,...}), or {@code null}
     * @param inst the JVM's instrumentation
     */
    public static void premain(final String args, final Instrumentation inst) {
        start(args, inst, false);
    }

    /**
     * Called by the JVM when the agent is attached to it while it runs.
     *
     * @param args the options ({@code key=value,...}), or {@code null}
     * @param inst the JVM's instrumentation
     */
    public static void agentmain(final String args, final Instrumentation inst) {
        start(args, inst, true);
    }

    /**
     * Attaches the agent to a running JVM: {@code java -jar halfopen-agent.jar PID [OPTIONS]}.
     *
     * @param argv the process id of the JVM, then optionally the options
     * @throws Exception if the attach failed
     */
    public static void main(final String[] argv) throws Exception {
        Attach.main(argv);
    }

    private static void start(final String args, final Instrumentation inst, final boolean attached) {
        try {
            BootstrapJar.append(inst);
        } catch (final java.io.IOException | RuntimeException e) {
            System.err.println("halfopen agent: cannot put its bridge classes on the bootstrap class path, so it"
                    + " does nothing: " + e);
            return;
        }
        AgentStartup.start(args, inst, attached);
    }
}
