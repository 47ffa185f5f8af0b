package io.halfopen.agent;

import java.io.File;
import java.net.URISyntaxException;
import net.bytebuddy.agent.ByteBuddyAgent;

/** {@code java -jar halfopen-agent.jar PID [OPTIONS]}: attaches this jar to a running JVM, through byte-buddy-agent. */
final class Attach {

    private Attach() {
    }

    static void main(final String[] argv) throws URISyntaxException {
        if (argv.length < 1 || argv.length > 2 || !argv[0].matches("\\d+")) {
            System.err.println("usage: java -jar halfopen-agent.jar PID [OPTIONS]\n"
                    + "  attaches the halfopen agent to the running JVM with process id PID; OPTIONS as for"
                    + " -javaagent (" + AgentOptions.KEYS + "), for example profile=XP_PRO_SP2,halfOpenTimeout=5s");
            System.exit(2);
            return;
        }
        final File jar = new File(Attach.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ByteBuddyAgent.attach(jar, argv[0], argv.length == 2 ? argv[1] : "");
        System.out.println("halfopen agent: attached to JVM " + argv[0] + " (its own log says what it limits)");
    }
}
