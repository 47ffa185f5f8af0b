package io.halfopen.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts the agent's two bridge classes ({@code io.halfopen.agent.bootstrap.HalfOpenHooks} and {@code Hooks}) on
 * the bootstrap class path, where the JDK's own classes can link to them.
 *
 * <p>How: their class files are copied from the agent jar into a new jar in a private temporary directory
 * (created owner-only, so no other user can swap the file before the JVM opens it), and
 * {@link Instrumentation#appendToBootstrapClassLoaderSearch} appends that jar. Only those two classes go there;
 * they refer to nothing but {@code java.base}, so the bootstrap loader can resolve them alone. Everything else,
 * the limiter included, stays in the application class loader. The agent jar's own copies of the two classes are
 * never loaded: the application class loader asks its parents first, and this runs before any code refers to
 * them. The jar and its directory are deleted when the JVM exits.
 */
final class BootstrapJar {

    static final String[] CLASSES = {
        "io/halfopen/agent/bootstrap/HalfOpenHooks.class",
        "io/halfopen/agent/bootstrap/Hooks.class",
    };

    private BootstrapJar() {
    }

    /** Appends the bridge classes to the bootstrap search path, unless a previous attach already did. */
    static void append(final Instrumentation inst) throws IOException {
        if (alreadyThere()) {
            return;
        }
        final Path dir = Files.createTempDirectory("halfopen-agent-");
        final Path jar = dir.resolve("halfopen-agent-bootstrap.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            for (final String name : CLASSES) {
                try (InputStream in = BootstrapJar.class.getClassLoader().getResourceAsStream(name)) {
                    if (in == null) {
                        throw new IOException("the agent jar has no " + name);
                    }
                    out.putNextEntry(new JarEntry(name));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        jar.toFile().deleteOnExit();
        dir.toFile().deleteOnExit();
        inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
    }

    private static boolean alreadyThere() {
        try {
            return Class.forName("io.halfopen.agent.bootstrap.HalfOpenHooks", false, null) != null;
        } catch (final ClassNotFoundException e) {
            return false;
        }
    }
}
