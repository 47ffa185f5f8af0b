package io.halfopen.netty;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Test helper: a plain blocking socket from "computer" 127.0.0.{@code host} (its local address is bound
 * there; Linux routes all of 127/8 to lo) to the loopback server. Reads time out after 5 s.
 */
final class Client implements AutoCloseable {

    private final Socket socket = new Socket();
    private final BufferedReader in;
    private final OutputStream out;

    Client(final int host, final InetSocketAddress server) {
        try {
            socket.bind(new InetSocketAddress("127.0.0." + host, 0));
            socket.connect(server, 5_000);
            socket.setSoTimeout(5_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        } catch (final IOException e) {
            throw new UncheckedIOException("client 127.0.0." + host + " could not connect to " + server, e);
        }
    }

    /** Reads one line, or returns null at end of stream. */
    String readLine() {
        try {
            return in.readLine();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns whether the server closed the connection: the next read sees end of stream (or a reset). */
    boolean atEndOfStream() {
        try {
            return in.read() == -1;
        } catch (final java.net.SocketException reset) {
            return true;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(final String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (final IOException ignored) {
            // closing a socket twice or after a reset: nothing to do
        }
    }
}
