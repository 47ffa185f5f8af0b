package io.halfopen.agent.programs;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The JDK's {@code java.net.http.HttpClient} firing one async GET per target, all at once, HTTP/1.1. Knows nothing
 * of halfopen. Arguments: {@code connectTimeoutMillis host:port:count ...} (0: no connect timeout).
 */
public final class HttpClientStorm {

    private HttpClientStorm() {
    }

    public static void main(final String[] args) throws Exception {
        final int timeout = Integer.parseInt(args[0]);
        final List<InetSocketAddress> targets = Targets.parse(args, 1);
        final Targets.Tally tally = new Targets.Tally();
        final HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
        if (timeout > 0) {
            builder.connectTimeout(Duration.ofMillis(timeout));
        }
        final HttpClient client = builder.build();
        final List<CompletableFuture<?>> all = new ArrayList<>();
        for (final InetSocketAddress target : targets) {
            final HttpRequest request = HttpRequest.newBuilder(
                    URI.create("http://" + target.getHostString() + ":" + target.getPort() + "/")).GET().build();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                if (failure != null) {
                    tally.failure(failure);
                } else {
                    tally.count(response.statusCode() == 200 ? "established" : "status" + response.statusCode());
                }
                return null;
            }));
        }
        try {
            CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
        } catch (final TimeoutException e) {
            tally.count("hung");
        }
        tally.print("requests=" + targets.size());
        System.exit(0); // the client's selector thread is not a daemon on every JDK
    }
}
