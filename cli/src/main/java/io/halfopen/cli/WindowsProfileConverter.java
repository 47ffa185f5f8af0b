package io.halfopen.cli;

import io.halfopen.profile.WindowsProfile;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Parses a {@link WindowsProfile} from the command line: any constant's name, ignoring case, or the short
 * forms {@code XP_PRO} and {@code XP_HOME} (SP2; every XP service pack has the same inbound limit).
 */
final class WindowsProfileConverter implements CommandLine.ITypeConverter<WindowsProfile> {

    @Override
    public WindowsProfile convert(final String value) {
        final String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (name) {
            case "XP_PRO":
                return WindowsProfile.XP_PRO_SP2;
            case "XP_HOME":
                return WindowsProfile.XP_HOME_SP2;
            default:
                try {
                    return WindowsProfile.valueOf(name);
                } catch (final IllegalArgumentException e) {
                    throw new CommandLine.TypeConversionException("'" + value + "' is not a Windows profile; use"
                            + " XP_PRO, XP_HOME or one of " + Arrays.stream(WindowsProfile.values())
                            .map(Enum::name).collect(Collectors.joining(", ")));
                }
        }
    }
}
