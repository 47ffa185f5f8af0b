package io.halfopen.sim.cli;

import io.halfopen.sim.report.ConsoleProgress;
import io.halfopen.sim.run.Progress;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where reports go, shared by {@code host} and {@code worm}. */
final class Output {

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write NAME.csv, NAME.json and NAME-*.png charts into DIR.")
    Path dir;

    @Option(names = "--name", paramLabel = "NAME", description = "The reports' file name stem. Default: the subcommand's name.")
    String name;

    @Option(names = "--no-charts", description = "Do not draw the PNG charts.")
    boolean noCharts;

    @Option(names = "--no-progress", description = "No progress on standard error.")
    boolean noProgress;

    Progress progress() {
        return noProgress ? Progress.NONE : new ConsoleProgress(System.err, ConsoleProgress.isTerminal());
    }

    Path file(final String fallbackName, final String suffix) {
        return dir.resolve((name == null ? fallbackName : name) + suffix);
    }
}
