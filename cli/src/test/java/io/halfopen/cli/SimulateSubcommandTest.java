package io.halfopen.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayName("halfopen-cli simulate: the simulator, mounted beside the demos")
class SimulateSubcommandTest {

    private static String[] run(final String... args) {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine command = new CommandLine(new ConnectStormCommand());
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        final int exit = command.execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    @Test
    @DisplayName("simulate host runs README's command: XP's cap at 10/21 per second against an all-dead scanner")
    void simulateHostRunsReadmesCommand() {
        final String[] r = run("simulate", "host", "--workload", "scanner(threads=128, rate=0, liveShare=0)",
                "--duration", "2100s", "--no-progress");
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("xp ") && l.contains(" 0.476 ")), r[1]);
        assertTrue(r[1].lines().anyMatch(l -> l.startsWith("unlimited")), r[1]);
    }

    @Test
    @DisplayName("simulate is listed in the CLI's help, and its own help lists host, worm and policies")
    void simulateIsListed() {
        assertTrue(run("--help")[1].contains("simulate"));
        final String help = run("simulate", "--help")[1];
        assertTrue(help.contains("host") && help.contains("worm") && help.contains("policies"), help);
    }
}
