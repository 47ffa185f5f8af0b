package io.halfopen.sim.cli;

import io.halfopen.sim.policy.PolicyLookup;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: compares throttling policies in virtual time with the production limiter. Subcommands:
 * {@code host} (one host's workloads and traces), {@code worm} (an epidemic across a population),
 * {@code policies} (what {@code --policy} accepts). Mounted by the CLI ({@code halfopen-cli simulate}) and
 * runnable on its own through {@link #main}.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, version = "halfopen simulator 0.1.0-SNAPSHOT",
        subcommands = {HostCommand.class, WormCommand.class, PoliciesCommand.class},
        description = {"Compares throttling policies on the same workloads in virtual time, running the real"
                + " limiter and policy code: one host's connects (host), or a worm across a population (worm)."})
public final class SimulateCommand implements Callable<Integer> {

    /**
     * Where {@code --policy} names are looked up: limiter-core's policy registry, for every subcommand.
     */
    static final PolicyLookup POLICIES = PolicyLookup.builtIn();

    @Spec
    CommandSpec spec;

    /** Creates the command. */
    public SimulateCommand() {
    }

    /**
     * Runs {@code simulate} on its own.
     *
     * @param args the command line
     */
    public static void main(final String[] args) {
        System.exit(new CommandLine(new SimulateCommand()).execute(args));
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }
}
