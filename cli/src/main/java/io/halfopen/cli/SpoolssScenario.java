package io.halfopen.cli;

import io.halfopen.profile.WindowsProfile;
import io.halfopen.session.AnonymousSessionRefusedException;
import io.halfopen.session.InboundSessionLimiter;
import io.halfopen.session.OpenHandle;
import io.halfopen.session.SessionInfo;
import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.session.SessionListener;
import io.halfopen.session.SessionRefusedException;
import io.halfopen.session.SessionTable;
import io.halfopen.time.VirtualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The session demo's second scenario, {@code --scenario spoolss}: KB 328459's cause, on a real server. Computer
 * 127.0.0.2 logs on anonymously and opens {@code \PIPE\spoolss}, and its RPC {@code OpenPrinter} never answers,
 * so the null session "never closes"; users on the next addresses fill the rest of the limit and keep working.
 * Sixteen minutes later (on a virtual clock the demo advances; the sockets are real), past the 60 s null-session
 * timeout and the 15 minute AutoDisconnect, {@code net session} still shows the culprit, with an empty user
 * name, one open and a growing idle time, and the next computer is refused with system error 71. Then the two
 * resolutions: {@code net session /delete \\127.0.0.2} on that server, which closes the culprit's socket and lets
 * the waiting computer in; and a second server with null sessions restricted ({@code RestrictAnonymous}, the
 * KB's first method), where the culprit's anonymous logon is refused with system error 5 and every computer
 * gets in. As expected only if each of those steps happened.
 */
final class SpoolssScenario {

    static final String SPOOLSS = "\\PIPE\\spoolss";
    static final int CULPRIT = LoopbackComputer.FIRST_HOST;
    private static final Duration WAIT = SessionsCommand.ANSWER_TIMEOUT;
    private static final int MINUTES_FIRST_LOOK = 2;
    private static final int MINUTES_IN_ALL = 16;

    private final WindowsProfile profile;
    private final DemoReport report;
    private final List<LoopbackComputer> open = new ArrayList<>();
    private final BlockingQueue<SessionRefusedException> refusals = new LinkedBlockingQueue<>();

    SpoolssScenario(final WindowsProfile profile, final DemoReport report) {
        this.profile = profile;
        this.report = report;
    }

    int run() throws InterruptedException {
        final int limit = profile.maxInboundSessions();
        final int users = limit - 1;
        final int waiting = CULPRIT + limit; // the first computer past the limit: 127.0.0.12 on XP Professional
        final VirtualClock clock = new VirtualClock();
        final InboundSessionLimiter limiter = limiter(clock, false);
        try (SessionDemoServer server = new SessionDemoServer(limiter)) {
            report.printf("halfopen sessions demo, scenario spoolss (KB 328459): a stuck %s null session on %s:%d"
                    + " (Netty, InboundSessionLimitHandler)%n", SPOOLSS, server.address().getAddress().getHostAddress(),
                    server.address().getPort());
            report.printf("  limit %s (%s); AutoDisconnect 15 min, null sessions expire after 60 s idle; idle time"
                    + " runs on a virtual clock the demo advances, the sockets are real%n%n",
                    SessionsCommand.limitText(limit), limiter.limitSource());

            final LoopbackComputer culprit = admitted(server, CULPRIT);
            if (culprit == null) {
                return report.verdict();
            }
            expectReply(culprit, "NULL", "235 null session", "an anonymous logon: a null session of its own");
            expectReply(culprit, "OPEN " + SPOOLSS, "250 opened " + SPOOLSS,
                    "OpenPrinter never answers: the pipe stays open");
            final List<LoopbackComputer> working = logOnUsers(server, users);

            report.printf("%n%d minutes pass; the users keep working, the printer pipe does nothing%n",
                    MINUTES_IN_ALL);
            minutesOfWork(clock, working, MINUTES_FIRST_LOOK);
            final Optional<SessionInfo> early = limiter.sessions().find("127.0.0." + CULPRIT);
            report.printf("%nnet session after %d minutes, past the 60 s null-session timeout:%n%n", MINUTES_FIRST_LOOK);
            report.print(limiter.sessions().render());
            minutesOfWork(clock, working, MINUTES_IN_ALL - MINUTES_FIRST_LOOK);
            final SessionTable stuckTable = limiter.sessions();
            report.printf("%nnet session after %d minutes, past AutoDisconnect's 15 minutes too:%n%n", MINUTES_IN_ALL);
            report.print(stuckTable.render());
            final Optional<SessionInfo> stuck = stuckTable.find("127.0.0." + CULPRIT);
            report.check(early.map(SessionInfo::idleTime).filter(Duration.ofMinutes(MINUTES_FIRST_LOOK)::equals)
                    .isPresent(), "the null session should be idle " + MINUTES_FIRST_LOOK + " minutes, was " + early);
            report.check(stuck.filter(row -> row.nullSession() && row.userName().isEmpty() && row.opens() == 1
                            && row.idleTime().equals(Duration.ofMinutes(MINUTES_IN_ALL))).isPresent(),
                    "net session should show \\\\127.0.0." + CULPRIT + " as a null session with 1 open, idle "
                            + MINUTES_IN_ALL + " minutes, was " + stuck);
            report.check(stuckTable.size() == limit, "the table should be full, " + limit + " rows, was "
                    + stuckTable.size());

            report.printf("%nthe next computer asks for a session:%n%n");
            expectRefused(server, waiting, SessionLimitExceededException.ERROR_CODE);

            report.printf("%nresolution 1: net session /delete \\\\127.0.0.%d%n%n", CULPRIT);
            final int ended = limiter.disconnect("\\\\127.0.0." + CULPRIT);
            final boolean culpritClosed = culprit.closedByServer(WAIT);
            final boolean pipeClosed = server.handles().stream().noneMatch(OpenHandle::isOpen);
            report.printf("  %d session ended; \\\\127.0.0.%d %s; its pipe is %s%n", ended, CULPRIT,
                    culpritClosed ? "read end of stream" : "was NOT closed", pipeClosed ? "closed" : "STILL OPEN");
            report.check(ended == 1 && culpritClosed && pipeClosed, "net session /delete should end the culprit's"
                    + " session, close its socket and its pipe: " + ended + " ended, socket closed " + culpritClosed
                    + ", pipe closed " + pipeClosed);
            final boolean admittedAfterDelete = admitted(server, waiting) != null;
            report.check(admittedAfterDelete && limiter.stats().sessions() == limit,
                    "\\\\127.0.0." + waiting + " should be admitted once the culprit's session was deleted");
            final boolean emptied = leaveAll(limiter);
            report.check(emptied, "sessions were left after every computer disconnected: " + limiter.stats());
            final SessionTable deletedTable = limiter.sessions();
            report.printf("%n");

            final boolean restrictedAsExpected = restrictAnonymousRun(users, waiting);
            report.printf("%nsummary%n");
            report.printf("  stuck null session  \\\\127.0.0.%d: %s%n", CULPRIT, stuck.map(row -> row.opens()
                    + " open, idle " + hhmmss(row.idleTime()) + " after " + MINUTES_IN_ALL + " minutes, never expired")
                    .orElse("NOT in the table"));
            report.printf("  next computer       \\\\127.0.0.%d refused with system error 71 while it was stuck; %s%n",
                    waiting, admittedAfterDelete ? "admitted after net session /delete" : "NOT admitted after the delete");
            report.printf("  restrictAnonymous   %s%n", restrictedAsExpected
                    ? "the anonymous logon was refused with system error 5; every computer was admitted"
                    : "did NOT play out as expected");
            report.printf("  net session         %d rows once every computer left%n", deletedTable.size());
        } finally {
            open.forEach(LoopbackComputer::close);
        }
        return report.verdict();
    }

    /** The second server: null sessions restricted; the culprit never gets a session to hold. */
    private boolean restrictAnonymousRun(final int users, final int waiting) throws InterruptedException {
        final int problemsBefore = report.problems();
        final VirtualClock clock = new VirtualClock();
        final InboundSessionLimiter restricted = limiter(clock, true);
        report.printf("resolution 2: a server with null sessions restricted (RestrictAnonymous, KB 328459's first"
                + " method)%n%n");
        try (SessionDemoServer server = new SessionDemoServer(restricted)) {
            final LoopbackComputer culprit = admitted(server, CULPRIT);
            if (culprit == null) {
                return false;
            }
            final String reply = ask(culprit, "NULL");
            final boolean closed = culprit.closedByServer(WAIT);
            report.printExchange(culprit, "NULL", reply + (closed ? ", then end of stream" : ""), "");
            report.printRefusal(culprit, poll(), AnonymousSessionRefusedException.ERROR_CODE, WAIT);
            report.check(("530 " + AnonymousSessionRefusedException.ERROR_CODE + " "
                    + AnonymousSessionRefusedException.ERROR_TEXT).equals(reply) && closed,
                    "the culprit's anonymous logon should be answered with error 5 and closed, was \"" + reply
                            + "\", closed " + closed);
            report.check(DemoReport.await(() -> restricted.sessions().find("127.0.0." + CULPRIT).isEmpty(), WAIT),
                    "the culprit still holds a session after its refused logon");
            final List<LoopbackComputer> working = logOnUsers(server, users);
            minutesOfWork(clock, working, MINUTES_IN_ALL);
            final boolean waitingAdmitted = admitted(server, waiting) != null;
            final SessionTable table = restricted.sessions();
            report.printf("%nnet session after %d minutes:%n%n", MINUTES_IN_ALL);
            report.print(table.render());
            report.check(waitingAdmitted && table.size() == users + 1 && restricted.stats().nullSessions() == 0,
                    "with null sessions restricted \\\\127.0.0." + waiting + " should be admitted beside the "
                            + users + " users, no null session: " + restricted.stats());
            report.check(leaveAll(restricted), "sessions were left after every computer disconnected: "
                    + restricted.stats());
        }
        return report.problems() == problemsBefore;
    }

    private InboundSessionLimiter limiter(final VirtualClock clock, final boolean restrictAnonymous) {
        return InboundSessionLimiter.builder()
                .profile(profile)
                .restrictAnonymous(restrictAnonymous)
                .clock(clock)
                .listener(new SessionListener() {
                    @Override
                    public void sessionRefused(final SessionRefusedException refusal) {
                        refusals.add(refusal);
                    }
                })
                .build();
    }

    /** Users on the addresses after the culprit's connect and log on; one line for them all. */
    private List<LoopbackComputer> logOnUsers(final SessionDemoServer server, final int users) {
        final List<LoopbackComputer> working = new ArrayList<>(users);
        for (int host = CULPRIT + 1; host <= CULPRIT + users; host++) {
            final LoopbackComputer user = admitted(server, host, false);
            if (user == null) {
                break;
            }
            final String reply = ask(user, "USER user" + host);
            report.check(("235 logged on as user" + host).equals(reply), "\\" + user.name() + " sent USER user"
                    + host + " and read \"" + reply + "\"");
            working.add(user);
        }
        if (users > 0) {
            report.printf("  \\\\127.0.0.%d to .%d: %d users admitted, each sent USER user%d ... user%d"
                    + " -> 235 logged on%n", CULPRIT + 1, CULPRIT + users, working.size(), CULPRIT + 1,
                    CULPRIT + users);
        }
        return working;
    }

    /** Virtual minutes pass; each minute every user sends a command and reads its reply: activity. */
    private void minutesOfWork(final VirtualClock clock, final List<LoopbackComputer> users, final int minutes) {
        for (int minute = 0; minute < minutes; minute++) {
            clock.advance(Duration.ofMinutes(1));
            for (final LoopbackComputer user : users) {
                final String reply = ask(user, "NOOP");
                report.check("250 ok".equals(reply), "\\\\" + user.name() + " got \"" + reply + "\" to NOOP");
            }
        }
    }

    /** Connects a computer and prints its answer; returns it if it was admitted, else records a problem. */
    private LoopbackComputer admitted(final SessionDemoServer server, final int host) {
        return admitted(server, host, true);
    }

    private LoopbackComputer admitted(final SessionDemoServer server, final int host, final boolean print) {
        final LoopbackComputer computer = new LoopbackComputer(host);
        open.add(computer);
        try {
            final LoopbackComputer.Answer answer = computer.connect(server.address(), SessionDemoServer.GREETING,
                    SessionDemoServer.REFUSAL_LINE, WAIT);
            if (print || answer.outcome() != LoopbackComputer.Outcome.ADMITTED) {
                report.printAnswer(computer, answer, DemoReport.answerDetail(answer));
            }
            if (answer.outcome() == LoopbackComputer.Outcome.ADMITTED) {
                return computer;
            }
            report.problem("\\\\" + computer.name() + " expected admitted, was " + DemoReport.lower(answer.outcome()));
        } catch (final IOException e) {
            report.problem("\\\\" + computer.name() + " could not connect: " + e.getMessage()
                    + " (the demo needs every 127.0.0.x address to reach loopback, as on Linux)");
        }
        return null;
    }

    private void expectRefused(final SessionDemoServer server, final int host, final int errorCode)
            throws InterruptedException {
        final LoopbackComputer computer = new LoopbackComputer(host);
        open.add(computer);
        try {
            final LoopbackComputer.Answer answer = computer.connect(server.address(), SessionDemoServer.GREETING,
                    SessionDemoServer.REFUSAL_LINE, WAIT);
            final boolean refused = answer.outcome() == LoopbackComputer.Outcome.REFUSED;
            report.printAnswer(computer, answer, refused ? ", then end of stream" : DemoReport.answerDetail(answer));
            report.check(refused, "\\\\" + computer.name() + " expected refused, was "
                    + DemoReport.lower(answer.outcome()));
            if (refused) {
                report.printRefusal(computer, poll(), errorCode, WAIT);
            }
        } catch (final IOException e) {
            report.problem("\\\\" + computer.name() + " could not connect: " + e.getMessage());
        } finally {
            computer.close();
        }
    }

    private void expectReply(final LoopbackComputer computer, final String command, final String expected,
                             final String note) {
        final String reply = ask(computer, command);
        report.printExchange(computer, command, reply, note);
        report.check(expected.equals(reply), "\\\\" + computer.name() + " sent " + command + " and read \"" + reply
                + "\", expected \"" + expected + "\"");
    }

    private String ask(final LoopbackComputer computer, final String command) {
        try {
            return computer.ask(command, WAIT);
        } catch (final IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    private SessionRefusedException poll() throws InterruptedException {
        return refusals.poll(WAIT.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Every computer leaves; returns whether the table emptied in time. */
    private boolean leaveAll(final InboundSessionLimiter limiter) {
        open.forEach(LoopbackComputer::close);
        open.clear();
        return DemoReport.await(() -> limiter.stats().sessions() == 0 && limiter.stats().openConnections() == 0, WAIT);
    }

    private static String hhmmss(final Duration idle) {
        final long seconds = idle.getSeconds();
        return String.format(Locale.ROOT, "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
