package io.halfopen.cli;

import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.session.SessionRefusedException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * What a session demo scenario prints and checks: its lines, the problems it found, and the verdict that
 * decides the exit status (0 only if nothing went other than expected). Not thread-safe: the scenario's thread
 * drives it.
 */
final class DemoReport {

    private static final String INDENT = " ".repeat(18);

    private final PrintWriter out;
    private final List<String> problems = new ArrayList<>();

    DemoReport(final PrintWriter out) {
        this.out = out;
    }

    /** Prints a formatted line (or lines) at once. */
    void printf(final String format, final Object... args) {
        out.printf(Locale.ROOT, format, args);
        out.flush();
    }

    /** Prints text as it is. */
    void print(final String text) {
        out.print(text);
        out.flush();
    }

    /** Records {@code problem} unless {@code ok}. */
    void check(final boolean ok, final String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    /** Records a problem. */
    void problem(final String problem) {
        problems.add(problem);
    }

    /** How many problems were found so far. */
    int problems() {
        return problems.size();
    }

    /** Prints what a computer read when it connected. */
    void printAnswer(final LoopbackComputer computer, final LoopbackComputer.Answer answer, final String then) {
        printf("  %-15s %-10s read \"%s\"%s%n", "\\\\" + computer.name(), lower(answer.outcome()),
                answer.firstLine() == null ? "" : answer.firstLine(), then);
    }

    /** Prints a command a computer sent and the reply it read. */
    void printExchange(final LoopbackComputer computer, final String command, final String reply, final String note) {
        printf("  %-15s %-22s -> %s%s%n", "\\\\" + computer.name(), command, reply == null ? "end of stream" : reply,
                note.isEmpty() ? "" : "   (" + note + ")");
    }

    /**
     * Prints what Windows XP would print at the refused computer, from the limiter's own exception, and checks
     * that it refused that computer with {@code expectedCode}.
     */
    void printRefusal(final LoopbackComputer computer, final SessionRefusedException refusal, final int expectedCode,
                      final Duration waited) {
        if (refusal == null) {
            problem("\\\\" + computer.name() + " was refused but the limiter reported no refusal within "
                    + waited.toSeconds() + " s");
            return;
        }
        printf("%s%s%n%s%s%n", INDENT, refusal.systemErrorLine(), INDENT, refusal.errorText());
        if (refusal instanceof SessionLimitExceededException) {
            final SessionLimitExceededException exceeded = (SessionLimitExceededException) refusal;
            printf("%s(limiter: %d sessions open, limit %d of %s)%n", INDENT, exceeded.sessions(), exceeded.limit(),
                    exceeded.limitSource());
        }
        check(refusal.errorCode() == expectedCode && refusal.computer().equals(computer.name()),
                "\\\\" + computer.name() + " was refused with error " + refusal.errorCode() + " for \\\\"
                        + refusal.computer() + ", expected error " + expectedCode + " for itself");
    }

    /** Prints every problem and the verdict; returns the exit status: 0 as expected, 1 otherwise. */
    int verdict() {
        problems.forEach(problem -> out.println("  NOT AS EXPECTED: " + problem));
        out.println(problems.isEmpty() ? "  as expected" : "  FAILED: " + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s"));
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    /** Waits, polling every millisecond, until {@code condition} holds or {@code timeout} passes. */
    static boolean await(final BooleanSupplier condition, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        return true;
    }

    static String lower(final LoopbackComputer.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    static String answerDetail(final LoopbackComputer.Answer answer) {
        return answer.detail().isEmpty() ? "" : " (" + answer.detail() + ")";
    }
}
