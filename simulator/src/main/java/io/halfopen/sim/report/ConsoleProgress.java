package io.halfopen.sim.report;

import io.halfopen.sim.run.Progress;
import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of a long run on standard error: on a terminal, a bar with the elapsed time and the ETA,
 * redrawn in place (the {@code progressbar} library); otherwise plain lines, one per tenth of the work, so that
 * a CI log stays readable. Progress goes to standard error and never into a report, which stays byte-identical
 * whatever the wall clock did.
 */
public final class ConsoleProgress implements Progress {

    private final PrintStream err;
    private final boolean terminal;
    private ProgressBar bar;
    private String label;
    private long total;
    private long started;
    private int lastTenth;

    /**
     * Creates a progress display.
     *
     * @param err      where it goes (standard error)
     * @param terminal whether that is a terminal; see {@link #isTerminal()}
     */
    public ConsoleProgress(final PrintStream err, final boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /**
     * Whether standard output and error go to a terminal: {@link System#console()} on JDK 17 to 21, and on
     * JDK 22 and later (where it returns a console even when redirected) its {@code isTerminal()}.
     *
     * @return {@code true} on an interactive terminal
     */
    public static boolean isTerminal() {
        final Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            final Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (final NoSuchMethodException beforeJdk22) {
            return true;
        } catch (final ReflectiveOperationException e) {
            return false;
        }
    }

    @Override
    public void begin(final String what, final long units) {
        this.label = what;
        this.total = units;
        this.started = System.nanoTime();
        this.lastTenth = 0;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(what).setInitialMax(units > 0 ? units : -1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).build();
        } else {
            err.println(what + ": started");
        }
    }

    @Override
    public void advance(final long done) {
        if (bar != null) {
            bar.stepTo(done);
            return;
        }
        if (total <= 0) {
            return;
        }
        final int tenth = (int) (done * 10 / total);
        if (tenth > lastTenth && tenth < 10) {
            lastTenth = tenth;
            final double elapsed = (System.nanoTime() - started) / 1e9;
            final double eta = elapsed * (total - done) / Math.max(1, done);
            err.println(String.format(Locale.ROOT, "%s: %d %% (%.1f s elapsed, ETA %.1f s)", label, tenth * 10, elapsed,
                    eta));
        }
    }

    @Override
    public void end() {
        if (bar != null) {
            if (total > 0) {
                bar.stepTo(total);
            }
            bar.close();
            bar = null;
        } else {
            err.println(String.format(Locale.ROOT, "%s: done in %.1f s", label, (System.nanoTime() - started) / 1e9));
        }
    }
}
