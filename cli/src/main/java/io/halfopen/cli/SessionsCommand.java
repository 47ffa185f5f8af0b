package io.halfopen.cli;

import io.halfopen.netty.InboundSessionLimitHandler;
import io.halfopen.profile.WindowsProfile;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The session demo: computers on distinct loopback addresses connect to a Netty server on 127.0.0.1 guarded by
 * {@link InboundSessionLimitHandler}. Two scenarios: {@code limit} ({@link LimitScenario}: computers connect one
 * after another, those past the profile's limit are refused with system error 71) and {@code spoolss}
 * ({@link SpoolssScenario}: KB 328459's stuck {@code \PIPE\spoolss} null session exhausts the limit until
 * {@code net session /delete} or RestrictAnonymous resolves it). Exits 0 only if the scenario played out as
 * expected, 1 otherwise, 2 for bad options.
 */
@Command(name = "sessions", mixinStandardHelpOptions = true, version = "halfopen 0.1.0-SNAPSHOT",
        sortOptions = false,
        header = "The second demo: XP's inbound session limit, loopback computers against a real server.",
        description = {
            "Windows XP's inbound session limit on a real server: computers on their own loopback addresses"
                    + " (127.0.0.2, 127.0.0.3, ...) connect to a Netty server on 127.0.0.1 guarded by"
                    + " InboundSessionLimitHandler. Scenario limit: they connect one after another and those past"
                    + " the limit are refused with system error 71. Scenario spoolss: KB 328459, a stuck"
                    + " \\PIPE\\spoolss null session holds its place past every timeout until net session /delete"
                    + " or RestrictAnonymous frees it. Prints each answer, the server's `net session` tables and a"
                    + " summary; exits 1 if the outcome is not the expected one.",
            ""})
final class SessionsCommand implements Callable<Integer> {

    /** How long one computer may take to connect and read its answer, and the server to end the sessions. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(5);

    private static final int MAX_COMPUTERS = LoopbackComputer.LAST_HOST - LoopbackComputer.FIRST_HOST + 1;

    /** What the demo plays. */
    enum Scenario {
        /** Computers connect one after another until the limit refuses them. */
        LIMIT,
        /** KB 328459: a stuck printer pipe keeps a null session, and its place, forever. */
        SPOOLSS;

        String optionValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reads a scenario name in any case; a bad one names itself and the choices. */
    static final class ScenarioConverter implements ITypeConverter<Scenario> {
        @Override
        public Scenario convert(final String value) {
            for (final Scenario scenario : Scenario.values()) {
                if (scenario.optionValue().equalsIgnoreCase(value.strip())) {
                    return scenario;
                }
            }
            throw new TypeConversionException("'" + value + "' is not a scenario; choose one of "
                    + Arrays.stream(Scenario.values()).map(Scenario::optionValue).collect(Collectors.joining(", ")));
        }
    }

    @Option(names = {"-s", "--scenario"}, defaultValue = "limit", paramLabel = "SCENARIO",
            converter = ScenarioConverter.class,
            description = "What to play: limit (computers connect until error 71 refuses them) or spoolss"
                    + " (KB 328459: a stuck \\PIPE\\spoolss null session exhausts the limit until net session"
                    + " /delete or RestrictAnonymous resolves it). Default: ${DEFAULT-VALUE}.")
    Scenario scenario;

    @Option(names = {"-p", "--profile"}, defaultValue = "XP_PRO", paramLabel = "PROFILE",
            converter = WindowsProfileConverter.class,
            description = "Whose limit the server keeps: XP_PRO (10 computers), XP_HOME (5), or any Windows"
                    + " profile name such as WINDOWS_2000_PROFESSIONAL (10), VISTA_HOME_BASIC_SP1 (5, unconfirmed),"
                    + " WINDOWS_7 (20, unconfirmed), SERVER_2003_SP1 (no limit; scenario limit only)."
                    + " Default: ${DEFAULT-VALUE}.")
    WindowsProfile profile;

    @Option(names = {"-c", "--computers"}, defaultValue = "12", paramLabel = "N",
            description = "Scenario limit: how many computers connect, from 127.0.0.2 up, 1 to " + MAX_COMPUTERS
                    + ". Default: ${DEFAULT-VALUE}.")
    int computers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        final DemoReport report = new DemoReport(spec.commandLine().getOut());
        if (scenario == Scenario.SPOOLSS) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--computers")) {
                throw new ParameterException(spec.commandLine(), "--computers applies to --scenario limit only;"
                        + " spoolss fills the profile's limit itself, was --computers " + computers);
            }
            final int limit = profile.maxInboundSessions();
            if (limit == WindowsProfile.UNLIMITED || limit + 1 > MAX_COMPUTERS) {
                throw new ParameterException(spec.commandLine(), "--scenario spoolss needs a profile with an inbound"
                        + " session limit of 1 to " + (MAX_COMPUTERS - 1) + " computers; " + profile + " has "
                        + limitText(limit));
            }
            return new SpoolssScenario(profile, report).run();
        }
        if (computers < 1 || computers > MAX_COMPUTERS) {
            throw new ParameterException(spec.commandLine(), "--computers must be between 1 and " + MAX_COMPUTERS
                    + " (source addresses 127.0.0.2 to 127.0.0." + LoopbackComputer.LAST_HOST + "), was "
                    + computers);
        }
        return new LimitScenario(profile, computers, report).run();
    }

    static String limitText(final int maxSessions) {
        return maxSessions == WindowsProfile.UNLIMITED ? "none" : maxSessions + " computers";
    }
}
