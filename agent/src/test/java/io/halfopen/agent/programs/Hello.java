package io.halfopen.agent.programs;

/** An application that does nothing but say so: to see what the agent prints, or whether the JVM starts. */
public final class Hello {

    private Hello() {
    }

    public static void main(final String[] args) {
        System.out.println("RESULT ran=1");
    }
}
