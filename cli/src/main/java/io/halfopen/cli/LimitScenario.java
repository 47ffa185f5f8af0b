package io.halfopen.cli;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The session demo's first scenario, {@code --scenario limit}: computers on their own loopback addresses
 * connect one after another; those past the profile's limit are refused with system error 71. Prints every
 * computer's answer, the server's {@code net session} table while they are connected and again after they
 * leave, and a summary. As expected only if exactly the first min(limit, computers) were admitted, the rest
 * refused with error 71 for themselves, the table listed the admitted ones with one connection each, and it
 * emptied once they left.
 */
final class LimitScenario {

    private final WindowsProfile profile;
    private final int computers;
    private final DemoReport report;

    LimitScenario(final WindowsProfile profile, final int computers, final DemoReport report) {
        this.profile = profile;
        this.computers = computers;
        this.report = report;
    }

    int run() throws InterruptedException {
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
        try (SessionDemoServer server = new SessionDemoServer(limiter)) {
            report.printf("halfopen sessions demo: %d computers connect one after another to %s:%d"
                    + " (Netty, InboundSessionLimitHandler)%n", computers,
                    server.address().getAddress().getHostAddress(), server.address().getPort());
            report.printf("  limit %s (%s); refused computers read \"%s\" and are closed%n%n",
                    SessionsCommand.limitText(limiter.maxSessions()), limiter.limitSource(),
                    SessionDemoServer.REFUSAL_LINE);

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
                                SessionDemoServer.REFUSAL_LINE, SessionsCommand.ANSWER_TIMEOUT);
                    } catch (final IOException e) {
                        report.problem("\\\\" + computer.name() + " could not connect: " + e.getMessage()
                                + " (the demo needs every 127.0.0.x address to reach loopback, as on Linux)");
                        break;
                    }
                    final LoopbackComputer.Outcome expected = i < expectedAdmitted
                            ? LoopbackComputer.Outcome.ADMITTED : LoopbackComputer.Outcome.REFUSED;
                    report.check(answer.outcome() == expected, "\\\\" + computer.name() + " expected "
                            + DemoReport.lower(expected) + ", was " + DemoReport.lower(answer.outcome())
                            + DemoReport.answerDetail(answer));
                    if (answer.outcome() == LoopbackComputer.Outcome.ADMITTED) {
                        admitted++;
                        report.printAnswer(computer, answer, "");
                    } else if (answer.outcome() == LoopbackComputer.Outcome.REFUSED) {
                        refused++;
                        computer.close();
                        report.printAnswer(computer, answer, ", then end of stream");
                        report.printRefusal(computer, refusals.poll(SessionsCommand.ANSWER_TIMEOUT.toNanos(),
                                TimeUnit.NANOSECONDS), SessionLimitExceededException.ERROR_CODE,
                                SessionsCommand.ANSWER_TIMEOUT);
                    } else {
                        report.printAnswer(computer, answer, DemoReport.answerDetail(answer));
                    }
                }
                table = limiter.sessions();
                whileConnected = limiter.stats();
                report.printf("%nnet session, on the server while the computers are connected:%n%n");
                report.print(table.render());
            } finally {
                connected.forEach(LoopbackComputer::close);
            }

            final boolean allEnded = endedSessions.tryAcquire(table.size(),
                    SessionsCommand.ANSWER_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            final SessionTable after = limiter.sessions();
            report.printf("%nnet session, after every computer disconnected:%n%n");
            report.print(after.render());

            report.check(admitted == expectedAdmitted && refused == computers - expectedAdmitted,
                    admitted + " admitted and " + refused + " refused, expected " + expectedAdmitted + " and "
                            + (computers - expectedAdmitted));
            report.check(table.size() == expectedAdmitted && whileConnected.peakSessions() == expectedAdmitted,
                    "the table had " + table.size() + " rows (peak " + whileConnected.peakSessions()
                            + " sessions), expected " + expectedAdmitted);
            report.check(table.rows().stream().allMatch(row -> row.connections() == 1 && row.opens() == 0),
                    "every computer should have one connection and nothing open in the table");
            report.check(whileConnected.refused() == computers - expectedAdmitted,
                    "the limiter counted " + whileConnected.refused() + " refusals, expected "
                            + (computers - expectedAdmitted));
            report.check(allEnded && after.size() == 0,
                    after.size() + " sessions left " + SessionsCommand.ANSWER_TIMEOUT.toSeconds()
                            + " s after every computer disconnected, expected none");

            report.printf("%nsummary%n");
            report.printf("  computers    %d connected: %d admitted, %d refused with system error 71"
                    + " (expected %d and %d)%n", computers, admitted, refused, expectedAdmitted,
                    computers - expectedAdmitted);
            report.printf("  net session  %d rows while connected, %d after they left%n", table.size(), after.size());
            report.printf("  limiter      %d sessions and %d connections open at the table, peak %d"
                    + " sessions, %d refused (limit %s)%n", whileConnected.sessions(),
                    whileConnected.openConnections(), whileConnected.peakSessions(), whileConnected.refused(),
                    SessionsCommand.limitText(limiter.maxSessions()));
        }
        return report.verdict();
    }
}
