package io.halfopen.sim.cli;

import io.halfopen.sim.policy.PolicyInfo;
import io.halfopen.sim.report.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code simulate policies}: lists the policies {@code --policy} accepts, with their parameters. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = "Lists the policies --policy accepts, their parameters and defaults.")
final class PoliciesCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final Table table = new Table(List.of("policy", "parameters (defaults)", "what it is"));
        for (final PolicyInfo p : SimulateCommand.POLICIES.policies()) {
            final List<String> params = new ArrayList<>(p.parameters().keySet());
            params.sort(null);
            table.row(List.of(p.name(), params.stream().map(k -> k + "=" + p.parameters().get(k))
                    .collect(Collectors.joining(", ")), p.description()));
        }
        spec.commandLine().getOut().print(table.render());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
