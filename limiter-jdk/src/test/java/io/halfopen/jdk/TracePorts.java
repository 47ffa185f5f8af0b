package io.halfopen.jdk;

import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Prints a storm's peer ports as {@code trace ports NAME: p,p,p}, so that a run under
 * {@code /work/shared/tools/syn-sent-trace -k} can be judged by the exact trace for those ports. Until the
 * testkit's {@code KernelJudge} (issue 19) is on main this is how the storms of this module are traced: by hand.
 */
final class TracePorts {

    private TracePorts() {
    }

    static void print(final String name, final Object... peers) {
        final TreeSet<Integer> ports = new TreeSet<>();
        for (final Object peer : peers) {
            final Collection<?> all = peer instanceof Collection<?> ? (Collection<?>) peer : List.of(peer);
            for (final Object one : all) {
                ports.add(((InetSocketAddress) one).getPort());
            }
        }
        final StringBuilder line = new StringBuilder("trace ports ").append(name).append(": ");
        ports.forEach(p -> line.append(p).append(','));
        System.out.println(line.substring(0, line.length() - 1));
    }
}
