package io.halfopen.sim.workload;

import io.halfopen.sim.spec.Spec;
import java.util.List;

/** The synthetic workloads by name: {@code desktop}, {@code mail}, {@code crawler}, {@code scanner}. */
public final class Workloads {

    /** The names, in the order help texts list them. */
    public static final List<String> NAMES = List.of("desktop", "mail", "crawler", "scanner");

    private Workloads() {
    }

    /**
     * Creates the workload a spec names.
     *
     * @param spec such as {@code scanner(rate=100, liveShare=0)}
     * @return the workload
     * @throws IllegalArgumentException if the name or a parameter is wrong, naming it
     */
    public static Workload create(final Spec spec) {
        return switch (spec.name()) {
            case "desktop" -> new DesktopWorkload(spec);
            case "mail" -> new MailBurstWorkload(spec);
            case "crawler" -> new CrawlerWorkload(spec);
            case "scanner" -> new ScannerWorkload(spec);
            default -> throw new IllegalArgumentException("unknown workload '" + spec.name() + "' in \"" + spec
                    + "\"; known: " + String.join(", ", NAMES) + " (and traces, with --trace)");
        };
    }

    /**
     * Parses and creates.
     *
     * @param text spec text
     * @return the workload
     */
    public static Workload parse(final String text) {
        return create(Spec.parse(text));
    }
}
