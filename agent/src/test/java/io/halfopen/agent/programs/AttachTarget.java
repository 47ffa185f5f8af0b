package io.halfopen.agent.programs;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A running application that an agent is attached to later: it connects once (so the JDK's socket classes are
 * loaded before the attach and must be retransformed), says {@code READY}, waits for {@code GO} on its standard
 * input, then runs a {@link SocketStorm}. Arguments: {@code warmUpHost:port}, then {@link SocketStorm}'s.
 */
public final class AttachTarget {

    private AttachTarget() {
    }

    public static void main(final String[] args) throws Exception {
        final String[] warm = args[0].split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(warm[0], Integer.parseInt(warm[1])), 5000);
        }
        System.out.println("READY");
        final BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = stdin.readLine()) != null && !line.equals("GO")) {
            // wait for the test to attach the agent
        }
        final String[] storm = new String[args.length - 1];
        System.arraycopy(args, 1, storm, 0, storm.length);
        SocketStorm.main(storm);
    }
}
