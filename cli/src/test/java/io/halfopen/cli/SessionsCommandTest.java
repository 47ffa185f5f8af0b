package io.halfopen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.halfopen.session.SessionLimitExceededException;
import io.halfopen.session.SessionTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayName("halfopen-cli sessions: the inbound session limit demo")
class SessionsCommandTest {

    /** What one run of the command printed, and how it exited. */
    private record Run(int exitCode, String out, String err) {

        /** The computer names in the first `net session` table, the one printed while they are connected. */
        List<String> tableComputers() {
            final int header = out.indexOf(SessionTable.HEADER);
            assertTrue(header >= 0, () -> "no net session table in:\n" + out);
            final int end = out.indexOf("The command completed successfully.", header);
            final String[] lines = out.substring(header, end).split("\n");
            return List.of(lines).subList(2, lines.length).stream()
                    .map(line -> line.substring(2, line.indexOf(' ')))
                    .collect(Collectors.toList());
        }

        int count(final String text) {
            final Matcher matcher = Pattern.compile(Pattern.quote(text)).matcher(out);
            int count = 0;
            while (matcher.find()) {
                count++;
            }
            return count;
        }
    }

    private static Run run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new ConnectStormCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        final int exitCode = command.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static List<String> hosts(final int first, final int last) {
        return IntStream.rangeClosed(first, last).mapToObj(host -> "127.0.0." + host).collect(Collectors.toList());
    }

    @Test
    void twelveComputersOnXpProTenAreAdmittedAndTwoRefusedWithError71() {
        final Run run = run("sessions");

        assertEquals(0, run.exitCode(), () -> run.out() + run.err());
        assertEquals(hosts(2, 11).stream().sorted().collect(Collectors.toList()), run.tableComputers(),
                "the table lists the ten admitted computers, in the limiter's order");
        assertTrue(run.out().contains("12 connected: 10 admitted, 2 refused with system error 71"), run.out());
        assertEquals(2, run.count("System error 71 has occurred."), run.out());
        assertEquals(2, run.count(SessionLimitExceededException.ERROR_TEXT), run.out());
        assertTrue(run.out().contains("\\\\127.0.0.12    refused"), run.out());
        assertTrue(run.out().contains("\\\\127.0.0.13    refused"), run.out());
        assertTrue(run.out().contains("There are no entries in the list."), "the table empties once they leave");
        assertTrue(run.out().strip().endsWith("as expected"), run.out());
    }

    @Test
    @DisplayName("--profile XP_HOME: 5 admitted, the other 7 refused")
    void xpHomeAdmitsFive() {
        final Run run = run("sessions", "--profile", "xp_home");

        assertEquals(0, run.exitCode(), () -> run.out() + run.err());
        assertEquals(hosts(2, 6), run.tableComputers());
        assertEquals(7, run.count("System error 71 has occurred."), run.out());
    }

    @Test
    void fewerComputersThanTheLimitAreAllAdmitted() {
        final Run run = run("sessions", "--computers", "3", "--profile", "XP_PRO_SP3");

        assertEquals(0, run.exitCode(), () -> run.out() + run.err());
        assertEquals(hosts(2, 4), run.tableComputers());
        assertEquals(0, run.count("System error 71"), run.out());
    }

    @Test
    void aBadComputerCountIsRejectedWithTheValue() {
        final Run run = run("sessions", "--computers", "0");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--computers must be between 1 and 253"), run.err());
        assertTrue(run.err().contains("was 0"), run.err());
    }

    @Test
    void anUnknownProfileIsRejectedWithTheValue() {
        final Run run = run("sessions", "--profile", "XP_PROF");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'XP_PROF' is not a Windows profile"), run.err());
    }

    @Test
    @DisplayName("--scenario spoolss: KB 328459 plays out, the stuck null session shown, deleted, then restricted")
    void theSpoolssScenarioPlaysOutKb328459() {
        final Run run = run("sessions", "--scenario", "spoolss");

        assertEquals(0, run.exitCode(), () -> run.out() + run.err());
        assertTrue(run.out().contains("\\\\127.0.0.2                                                       1 00:02:00\n"),
                run.out());
        assertTrue(run.out().contains("\\\\127.0.0.2                                                       1 00:16:00\n"),
                "net session shows the culprit with a growing idle time:\n" + run.out());
        assertTrue(run.out().contains("\\\\127.0.0.12    refused"), run.out());
        assertEquals(1, run.count("System error 71 has occurred."), run.out());
        assertEquals(1, run.count("System error 5 has occurred."), run.out());
        assertTrue(run.out().contains("1 session ended; \\\\127.0.0.2 read end of stream; its pipe is closed"),
                run.out());
        assertEquals(2, run.count("\\\\127.0.0.12    admitted"), "after the delete, and on the restricted server");
        assertTrue(run.out().strip().endsWith("as expected"), run.out());
    }

    @Test
    @DisplayName("--scenario spoolss --profile XP_HOME: the culprit and four users fill the five places")
    void theSpoolssScenarioOnXpHome() {
        final Run run = run("sessions", "--scenario", "SPOOLSS", "--profile", "XP_HOME");

        assertEquals(0, run.exitCode(), () -> run.out() + run.err());
        assertTrue(run.out().contains("\\\\127.0.0.7     refused"), run.out());
        assertTrue(run.out().contains("(limiter: 5 sessions open, limit 5 of Windows XP Home Edition SP2)"), run.out());
    }

    @Test
    void anUnknownScenarioIsRejectedWithTheValueAndTheChoices() {
        final Run run = run("sessions", "--scenario", "printer");

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'printer' is not a scenario; choose one of limit, spoolss"), run.err());
    }

    @Test
    void theSpoolssScenarioRejectsAComputerCountAndAnUnlimitedProfile() {
        final Run computers = run("sessions", "--scenario", "spoolss", "--computers", "5");
        final Run unlimited = run("sessions", "--scenario", "spoolss", "--profile", "SERVER_2003_SP1");

        assertEquals(2, computers.exitCode());
        assertTrue(computers.err().contains("--computers applies to --scenario limit only"), computers.err());
        assertEquals(2, unlimited.exitCode());
        assertTrue(unlimited.err().contains("needs a profile with an inbound session limit"), unlimited.err());
        assertTrue(unlimited.err().contains("has none"), unlimited.err());
    }

    @Test
    void theConnectStormsHelpListsTheSessionsDemo() {
        final Run run = run("--help");

        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--connects"), run.out());
        assertTrue(run.out().contains("sessions"), run.out());
    }
}
