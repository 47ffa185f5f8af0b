package io.halfopen.jdk;

import io.halfopen.limiter.HalfOpenLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.function.BiFunction;
import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * An unconnected {@link SSLSocket} whose connect is a limited plain TCP connect ({@link HalfOpenSocket}) with
 * TLS layered on it afterwards ({@link SSLSocketFactory#createSocket(Socket, String, int, boolean)}): what
 * {@link HalfOpenSSLSocketFactory#createSocket()} returns, so that a caller that casts to {@code SSLSocket},
 * or configures TLS before connecting, gets what it expects while only the TCP handshake counts.
 *
 * <p>Before the connect, socket calls go to the plain socket and TLS calls to a template socket of the TLS
 * factory that is never connected; at the connect the template's settings, if any were changed, are copied to
 * the layered socket (keeping its server name for SNI). After the connect every call goes to the layered
 * socket. The handshake runs as the JDK's runs it: on {@link #startHandshake()} or the first read or write.
 *
 * <p>Thread-safety as {@link SSLSocket}: one thread connects; {@link #close()} may come from any thread.
 */
final class LayeredSslSocket extends SSLSocket {

    private final SSLSocketFactory tls;
    private final HalfOpenSocket plain;
    private final List<HandshakeCompletedListener> listeners = new CopyOnWriteArrayList<>();
    private static final AtomicReferenceFieldUpdater<LayeredSslSocket, SSLSocket> TEMPLATE =
            AtomicReferenceFieldUpdater.newUpdater(LayeredSslSocket.class, SSLSocket.class, "template");

    private volatile SSLSocket template; // created on the first TLS call before the connect
    private volatile boolean templateChanged;
    private volatile SSLSocket layered;  // set once the plain socket is connected

    LayeredSslSocket(final HalfOpenLimiter limiter, final SSLSocketFactory tls) {
        this.tls = tls;
        this.plain = new HalfOpenSocket(limiter);
    }

    // ------------------------------------------------------------------ connect: the limited part

    @Override
    public void connect(final SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public void connect(final SocketAddress endpoint, final int timeout) throws IOException {
        plain.connect(endpoint, timeout); // validates as the JDK's socket does, waits for a slot, connects
        final InetSocketAddress remote = (InetSocketAddress) endpoint;
        final SSLSocket ssl;
        try {
            ssl = (SSLSocket) tls.createSocket(plain, remote.getHostString(), remote.getPort(), true);
            final SSLSocket settings = template;
            if (settings != null) {
                if (templateChanged) {
                    final SSLParameters parameters = settings.getSSLParameters();
                    if (parameters.getServerNames() == null || parameters.getServerNames().isEmpty()) {
                        parameters.setServerNames(ssl.getSSLParameters().getServerNames());
                    }
                    ssl.setSSLParameters(parameters);
                    ssl.setUseClientMode(settings.getUseClientMode());
                    ssl.setEnableSessionCreation(settings.getEnableSessionCreation());
                }
                settings.close();
            }
            for (final HandshakeCompletedListener listener : listeners) {
                ssl.addHandshakeCompletedListener(listener);
            }
        } catch (final IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
        layered = ssl;
    }

    /** The socket that socket calls go to: the layered one once connected, the plain one before. */
    private Socket socket() {
        final SSLSocket ssl = layered;
        return ssl != null ? ssl : plain;
    }

    /** The socket that TLS calls go to: the layered one once connected, the template before. */
    private SSLSocket ssl() {
        final SSLSocket ssl = layered;
        if (ssl != null) {
            return ssl;
        }
        final SSLSocket settings = template;
        if (settings != null) {
            return settings;
        }
        final SSLSocket created;
        try {
            created = (SSLSocket) tls.createSocket();
        } catch (final IOException e) {
            throw new IllegalStateException("configure TLS after connecting: " + tls
                    + " makes no unconnected sockets to hold the settings until then", e);
        }
        if (TEMPLATE.compareAndSet(this, null, created)) {
            return created;
        }
        closeQuietly(created); // another thread's template won
        return template;
    }

    private SSLSocket changing() {
        final SSLSocket ssl = ssl();
        if (ssl != layered) {
            templateChanged = true;
        }
        return ssl;
    }

    // ------------------------------------------------------------------ TLS

    @Override
    public String[] getSupportedCipherSuites() {
        return ssl().getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return ssl().getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(final String[] suites) {
        changing().setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return ssl().getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return ssl().getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(final String[] protocols) {
        changing().setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return ssl().getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return ssl().getHandshakeSession();
    }

    @Override
    public void addHandshakeCompletedListener(final HandshakeCompletedListener listener) {
        final SSLSocket ssl = layered;
        if (ssl != null) {
            ssl.addHandshakeCompletedListener(listener);
        } else {
            listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
        }
    }

    @Override
    public void removeHandshakeCompletedListener(final HandshakeCompletedListener listener) {
        final SSLSocket ssl = layered;
        if (ssl != null) {
            ssl.removeHandshakeCompletedListener(listener);
        } else if (!listeners.remove(listener)) {
            throw new IllegalArgumentException("no such listener: " + listener);
        }
    }

    @Override
    public void startHandshake() throws IOException {
        final SSLSocket ssl = layered;
        if (ssl == null) {
            throw new SocketException("Socket is not connected: connect before the TLS handshake");
        }
        ssl.startHandshake();
    }

    @Override
    public void setUseClientMode(final boolean mode) {
        changing().setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return ssl().getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(final boolean need) {
        changing().setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return ssl().getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(final boolean want) {
        changing().setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return ssl().getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(final boolean flag) {
        changing().setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return ssl().getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return ssl().getSSLParameters();
    }

    @Override
    public void setSSLParameters(final SSLParameters params) {
        changing().setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return ssl().getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return ssl().getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(final BiFunction<SSLSocket, List<String>, String> selector) {
        changing().setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLSocket, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return ssl().getHandshakeApplicationProtocolSelector();
    }

    // ------------------------------------------------------------------ the socket

    @Override
    public void bind(final SocketAddress bindpoint) throws IOException {
        socket().bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
        return socket().getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
        return socket().getLocalAddress();
    }

    @Override
    public int getPort() {
        return socket().getPort();
    }

    @Override
    public int getLocalPort() {
        return socket().getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return socket().getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return socket().getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
        return null;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return socket().getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return socket().getOutputStream();
    }

    @Override
    public void setTcpNoDelay(final boolean on) throws SocketException {
        socket().setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return socket().getTcpNoDelay();
    }

    @Override
    public void setSoLinger(final boolean on, final int linger) throws SocketException {
        socket().setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
        return socket().getSoLinger();
    }

    @Override
    public void sendUrgentData(final int data) throws IOException {
        socket().sendUrgentData(data);
    }

    @Override
    public void setOOBInline(final boolean on) throws SocketException {
        socket().setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
        return socket().getOOBInline();
    }

    @Override
    public void setSoTimeout(final int timeout) throws SocketException {
        socket().setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return socket().getSoTimeout();
    }

    @Override
    public void setSendBufferSize(final int size) throws SocketException {
        socket().setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
        return socket().getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(final int size) throws SocketException {
        socket().setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
        return socket().getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(final boolean on) throws SocketException {
        socket().setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return socket().getKeepAlive();
    }

    @Override
    public void setTrafficClass(final int tc) throws SocketException {
        socket().setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
        return socket().getTrafficClass();
    }

    @Override
    public void setReuseAddress(final boolean on) throws SocketException {
        socket().setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
        return socket().getReuseAddress();
    }

    @Override
    public void close() throws IOException {
        try {
            final SSLSocket ssl = layered;
            if (ssl != null) {
                ssl.close(); // closes the plain socket too (autoClose)
            }
        } finally {
            plain.close(); // ends a wait for a slot at once
            final SSLSocket settings = template;
            if (settings != null) {
                settings.close();
            }
        }
    }

    @Override
    public void shutdownInput() throws IOException {
        socket().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket().shutdownOutput();
    }

    @Override
    public boolean isConnected() {
        return socket().isConnected();
    }

    @Override
    public boolean isBound() {
        return socket().isBound();
    }

    @Override
    public boolean isClosed() {
        return socket().isClosed();
    }

    @Override
    public boolean isInputShutdown() {
        return socket().isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        return socket().isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(final int connectionTime, final int latency, final int bandwidth) {
        socket().setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(final SocketOption<T> name, final T value) throws IOException {
        socket().setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(final SocketOption<T> name) throws IOException {
        return socket().getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return socket().supportedOptions();
    }

    private static void closeQuietly(final Socket socket) {
        try {
            socket.close();
        } catch (final IOException ignored) {
            // an unconnected template: nothing to release
        }
    }

    @Override
    public String toString() {
        final SSLSocket ssl = layered;
        return "LayeredSslSocket[" + (ssl != null ? ssl : plain) + "]";
    }
}
