package io.halfopen.netty;

import io.netty.channel.ChannelOption;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * {@link RealClientStormTest} with Reactor Netty's {@code HttpClient}: the handler goes in through
 * {@code doOnChannelInit}, at the head of each channel's pipeline, on two event loops of the client's own
 * (whichever transport Reactor Netty picks; it prefers a native one).
 */
class ReactorNettyStormTest extends RealClientStormTest {

    @Override
    HttpGetter start(final HalfOpenLimitHandler handler) {
        final LoopResources loops = LoopResources.create("reactor-storm", 2, true);
        final ConnectionProvider connections = ConnectionProvider.newConnection(); // one connect per request
        final HttpClient client = HttpClient.create(connections)
                .runOn(loops)
                .disableRetry(true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 60_000)
                .doOnChannelInit((observer, channel, remote) -> channel.pipeline().addFirst(handler));
        return new HttpGetter() {
            @Override
            public CompletableFuture<Integer> get(final InetSocketAddress peer) {
                return client.get()
                        .uri("http://" + peer.getAddress().getHostAddress() + ":" + peer.getPort() + "/")
                        .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                                .map(ignored -> response.status().code()))
                        .toFuture();
            }

            @Override
            public void close() {
                Mono.when(connections.disposeLater(), loops.disposeLater()).block(Duration.ofSeconds(10));
            }
        };
    }
}
