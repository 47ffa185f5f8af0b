package io.halfopen.netty;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.asynchttpclient.AsyncHttpClient;
import org.asynchttpclient.Dsl;
import org.asynchttpclient.Response;

/**
 * {@link RealClientStormTest} with AsyncHttpClient: the handler goes in through
 * {@code setHttpAdditionalChannelInitializer}, at the head of each channel's pipeline, on two NIO event loops of
 * the client's own.
 */
class AsyncHttpClientStormTest extends RealClientStormTest {

    @Override
    HttpGetter start(final HalfOpenLimitHandler handler) {
        final AsyncHttpClient client = Dsl.asyncHttpClient(Dsl.config()
                .setHttpAdditionalChannelInitializer(channel -> channel.pipeline().addFirst(handler))
                .setIoThreadsCount(2)
                .setKeepAlive(false) // one connect per request
                .setMaxRequestRetry(0)
                .setConnectTimeout(Duration.ofSeconds(60))
                .setRequestTimeout(Duration.ofSeconds(90)));
        return new HttpGetter() {
            @Override
            public CompletableFuture<Integer> get(final InetSocketAddress peer) {
                return client.prepareGet("http://" + peer.getAddress().getHostAddress() + ":" + peer.getPort() + "/")
                        .execute().toCompletableFuture().thenApply(Response::getStatusCode);
            }

            @Override
            public void close() throws Exception {
                client.close();
            }
        };
    }
}
