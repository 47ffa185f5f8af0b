package io.halfopen.cli;

import io.halfopen.netty.InboundSessionLimitHandler;
import io.halfopen.profile.WindowsProfile;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.SessionEndReason;
import io.halfopen.session.SessionInfo;
import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.session.SessionListener;
import io.halfopen.session.SessionRefusedException;
import io.halfopen.session.SessionStats;
import io.halfopen.session.SessionTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The session demo: computers on distinct loopback addresses connect, one after another, to a Netty server
 * on 127.0.0.1 guarded by {@link InboundSessionLimitHandler}; those past the profile's limit are refused with
 * system error 71. Prints every computer's answer, the server's {@code net session} table while they are
 * connected and again after they leave, and a summary; exits 1 unless exactly the first
 * min(limit, computers) were admitted, the rest refused with error 71, and the table matched.
 */
@Command(name = "sessions", mixinStandardHelpOptions = true, version = "halfopen 0.1.0-SNAPSHOT",
        sortOptions = false,
        header = "The second demo: XP's inbound session limit, loopback computers against a real server.",
        description = {
            "Windows XP's inbound session limit on a real server: computers on their own loopback addresses"
                    + " (127.0.0.2, 127.0.0.3, ...) connect one after another to a Netty server on 127.0.0.1"
                    + " guarded by InboundSessionLimitHandler; those past the limit are refused with system error"
                    + " 71. Prints each answer, the server's `net session` table and a summary; exits 1 if the"
                    + " outcome is not the expected one.",
            ""})
final class SessionsCommand implements Callable<Integer> {

    /** How long one computer may take to connect and read its answer, and the server to end the sessions. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private static final int MAX_COMPUTERS = LoopbackComputer.LAST_HOST - LoopbackComputer.FIRST_HOST + 1;

    @Option(names = {"-p", "--profile"}, defaultValue = "XP_PRO", paramLabel = "PROFILE",
            converter = WindowsProfileConverter.class,
            description = "Whose limit the server keeps: XP_PRO (10 computers), XP_HOME (5), or any Windows"
                    + " profile name such as WINDOWS_2000_PROFESSIONAL (10), VISTA_HOME_BASIC_SP1 (5, unconfirmed),"
                    + " WINDOWS_7 (20, unconfirmed), SERVER_2003_SP1 (no limit). Default: ${DEFAULT-VALUE}.")
    WindowsProfile profile;

    @Option(names = {"-c", "--computers"}, defaultValue = "12", paramLabel = "N",
            description = "How many computers connect, from 127.0.0.2 up, 1 to " + MAX_COMPUTERS
                    + ". Default: ${DEFAULT-VALUE}.")
    int computers;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    @Override
    public Integer call() throws Exception {
        if (computers < 1 || computers > MAX_COMPUTERS) {
            throw new ParameterException(spec.commandLine(), "--computers must be between 1 and " + MAX_COMPUTERS
                    + " (source addresses 127.0.0.2 to 127.0.0." + LoopbackComputer.LAST_HOST + "), was "
                    + computers);
        }
        out = spec.commandLine().getOut();
        final BlockingQueue<SessionRefusedException> refusals = new LinkedBlockingQueue<>();
        final Semaphore endedSessions = new Semaphore(0);
        final InboundSessionLimiter limiter = InboundSessionLimiter.builder()
                .profile(profile)
                .listener(new SessionListener() {
                    @Override
                    public void sessionRefused(final SessionRefusedException refusal) {
                        refusals.add(refusal);
                    }

                    @Override
                    public void sessionEnded(final SessionInfo session, final SessionEndReason reason) {
                        endedSessions.release();
                    }
                })
                .build();
        final int expectedAdmitted = Math.min(limiter.maxSessions(), computers);
        final List<String> problems = new ArrayList<>();
        try (SessionDemoServer server = new SessionDemoServer(limiter)) {
            out.printf(Locale.ROOT, "halfopen sessions demo: %d computers connect one after another to %s:%d"
                    + " (Netty, InboundSessionLimitHandler)%n", computers,
                    server.address().getAddress().getHostAddress(), server.address().getPort());
            out.printf(Locale.ROOT, "  limit %s (%s); refused computers read \"%s\" and are closed%n%n",
                    limitText(limiter.maxSessions()), limiter.limitSource(), SessionDemoServer.REFUSAL_LINE);
            out.flush();

            final List<LoopbackComputer> connected = new ArrayList<>(computers);
            final SessionTable table;
            final SessionStats whileConnected;
            int admitted = 0;
            int refused = 0;
            try {
                for (int i = 0; i < computers; i++) {
                    final LoopbackComputer computer = new LoopbackComputer(LoopbackComputer.FIRST_HOST + i);
                    connected.add(computer);
                    final LoopbackComputer.Answer answer;
                    try {
                        answer = computer.connect(server.address(), SessionDemoServer.GREETING,
                                SessionDemoServer.REFUSAL_LINE, ANSWER_TIMEOUT);
                    } catch (final IOException e) {
                        problems.add("\\\\" + computer.name() + " could not connect: " + e.getMessage()
                                + " (the demo needs every 127.0.0.x address to reach loopback, as on Linux)");
                        break;
                    }
                    final LoopbackComputer.Outcome expected = i < expectedAdmitted
                            ? LoopbackComputer.Outcome.ADMITTED : LoopbackComputer.Outcome.REFUSED;
                    if (answer.outcome() != expected) {
                        problems.add("\\\\" + computer.name() + " expected " + lower(expected) + ", was "
                                + lower(answer.outcome()) + answerDetail(answer));
                    }
                    if (answer.outcome() == LoopbackComputer.Outcome.ADMITTED) {
                        admitted++;
                        printAnswer(computer, answer, "");
                    } else if (answer.outcome() == LoopbackComputer.Outcome.REFUSED) {
                        refused++;
                        computer.close();
                        printAnswer(computer, answer, ", then end of stream");
                        printRefusal(computer, refusals.poll(ANSWER_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS),
                                problems);
                    } else {
                        printAnswer(computer, answer, answerDetail(answer));
                    }
                }
                table = limiter.sessions();
                whileConnected = limiter.stats();
                out.printf(Locale.ROOT, "%nnet session, on the server while the computers are connected:%n%n");
                out.print(table.render());
            } finally {
                connected.forEach(LoopbackComputer::close);
            }

            final boolean allEnded = endedSessions.tryAcquire(table.size(), ANSWER_TIMEOUT.toNanos(),
                    TimeUnit.NANOSECONDS);
            final SessionTable after = limiter.sessions();
            out.printf(Locale.ROOT, "%nnet session, after every computer disconnected:%n%n");
            out.print(after.render());

            check(problems, admitted == expectedAdmitted && refused == computers - expectedAdmitted,
                    admitted + " admitted and " + refused + " refused, expected " + expectedAdmitted + " and "
                            + (computers - expectedAdmitted));
            check(problems, table.size() == expectedAdmitted && whileConnected.peakSessions() == expectedAdmitted,
                    "the table had " + table.size() + " rows (peak " + whileConnected.peakSessions()
                            + " sessions), expected " + expectedAdmitted);
            check(problems, table.rows().stream().allMatch(row -> row.opens() == 1),
                    "every computer should have one open connection in the table");
            check(problems, whileConnected.refused() == computers - expectedAdmitted,
                    "the limiter counted " + whileConnected.refused() + " refusals, expected "
                            + (computers - expectedAdmitted));
            check(problems, allEnded && after.size() == 0,
                    after.size() + " sessions left " + ANSWER_TIMEOUT.toSeconds()
                            + " s after every computer disconnected, expected none");
            summary(limiter, admitted, refused, expectedAdmitted, table, whileConnected, after);
        }
        problems.forEach(problem -> out.println("  NOT AS EXPECTED: " + problem));
        out.println(problems.isEmpty() ? "  as expected" : "  FAILED: " + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s"));
        out.flush();
        return problems.isEmpty() ? 0 : 1;
    }

    private void printAnswer(final LoopbackComputer computer, final LoopbackComputer.Answer answer,
                             final String then) {
        out.printf(Locale.ROOT, "  %-15s %-10s read \"%s\"%s%n", "\\\\" + computer.name(), lower(answer.outcome()),
                answer.firstLine() == null ? "" : answer.firstLine(), then);
        out.flush();
    }

    /** Prints what Windows XP would print at the refused computer, from the limiter's own exception. */
    private void printRefusal(final LoopbackComputer computer, final SessionRefusedException refusal,
                              final List<String> problems) {
        if (refusal == null) {
            problems.add("\\\\" + computer.name() + " was refused but the limiter reported no refusal within "
                    + ANSWER_TIMEOUT.toSeconds() + " s");
            return;
        }
        final String indent = " ".repeat(18);
        out.printf(Locale.ROOT, "%s%s%n%s%s%n", indent, refusal.systemErrorLine(), indent, refusal.errorText());
        if (refusal instanceof SessionLimitExceededException) {
            final SessionLimitExceededException exceeded = (SessionLimitExceededException) refusal;
            out.printf(Locale.ROOT, "%s(limiter: %d sessions open, limit %d of %s)%n", indent, exceeded.sessions(),
                    exceeded.limit(), exceeded.limitSource());
        }
        out.flush();
        check(problems, refusal.errorCode() == SessionLimitExceededException.ERROR_CODE
                        && refusal.computer().equals(computer.name()),
                "\\\\" + computer.name() + " was refused with error " + refusal.errorCode() + " for \\\\"
                        + refusal.computer() + ", expected error 71 for itself");
    }

    private void summary(final InboundSessionLimiter limiter, final int admitted, final int refused,
                         final int expectedAdmitted, final SessionTable table, final SessionStats stats,
                         final SessionTable after) {
        out.printf(Locale.ROOT, "%nsummary%n");
        out.printf(Locale.ROOT, "  computers    %d connected: %d admitted, %d refused with system error 71"
                + " (expected %d and %d)%n", computers, admitted, refused, expectedAdmitted,
                computers - expectedAdmitted);
        out.printf(Locale.ROOT, "  net session  %d rows while connected, %d after they left%n", table.size(),
                after.size());
        out.printf(Locale.ROOT, "  limiter      %d sessions and %d connections open at the table, peak %d"
                + " sessions, %d refused (limit %s)%n", stats.sessions(), stats.openConnections(),
                stats.peakSessions(), stats.refused(), limitText(limiter.maxSessions()));
    }

    private static void check(final List<String> problems, final boolean ok, final String problem) {
        if (!ok) {
            problems.add(problem);
        }
    }

    private static String limitText(final int maxSessions) {
        return maxSessions == WindowsProfile.UNLIMITED ? "none" : maxSessions + " computers";
    }

    private static String lower(final LoopbackComputer.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    private static String answerDetail(final LoopbackComputer.Answer answer) {
        return answer.detail().isEmpty() ? "" : " (" + answer.detail() + ")";
    }
}
