package io.halfopen.agent.programs;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every test program shares, and nothing of halfopen: the targets from the command line
 * ({@code host:port:count ...}, shuffled with a fixed seed so the peers' connects interleave), and the tally of
 * outcomes printed as one {@code RESULT key=value ...} line.
 */
public final class Targets {

    private Targets() {
    }

    /** Parses {@code host:port:count} arguments into one list of addresses, shuffled with a fixed seed. */
    public static List<InetSocketAddress> parse(final String[] args, final int from) {
        final List<InetSocketAddress> all = new ArrayList<>();
        for (int i = from; i < args.length; i++) {
            final String[] parts = args[i].split(":");
            final InetSocketAddress address = new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
            for (int n = 0; n < Integer.parseInt(parts[2]); n++) {
                all.add(address);
            }
        }
        Collections.shuffle(all, new Random(42));
        return all;
    }

    /** Counts outcomes by name. */
    public static final class Tally {
        private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
        private final long start = System.nanoTime();
        private final Map<String, String> firsts = new ConcurrentHashMap<>();

        public void count(final String outcome) {
            counts.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
        }

        /** Counts a failure by its type, once wrappers (futures, mail) are taken off. */
        public void failure(final Throwable failure) {
            Throwable t = failure;
            while (t.getCause() != null && (t instanceof java.util.concurrent.ExecutionException
                    || t instanceof java.util.concurrent.CompletionException
                    || t instanceof java.io.UncheckedIOException
                    || isMailWrapper(t.getClass()))) {
                t = t.getCause();
            }
            final String type = t.getClass().getSimpleName();
            if (firsts.putIfAbsent(type, String.valueOf(t)) == null) {
                System.err.println("FIRST " + type + ": " + t);
            }
            count(type);
        }

        private static boolean isMailWrapper(final Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getName().equals("jakarta.mail.MessagingException")) {
                    return true;
                }
            }
            return false;
        }

        public void print(final String... extra) {
            final StringBuilder line = new StringBuilder("RESULT");
            long total = 0;
            for (final Map.Entry<String, AtomicLong> e : new TreeMap<>(counts).entrySet()) {
                line.append(' ').append(e.getKey()).append('=').append(e.getValue().get());
                total += e.getValue().get();
            }
            line.append(" total=").append(total);
            line.append(" elapsedMs=").append((System.nanoTime() - start) / 1_000_000);
            for (final String kv : extra) {
                line.append(' ').append(kv);
            }
            System.out.println(line);
        }
    }
}
