package dev.verifull.tailscale;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

/** Builds LocalAPI requests the way tailscaled expects them, and reads the answers. */
final class LocalApiRequests {
    /** The only Host tailscaled accepts on its socket/pipe ({@code apitype.LocalAPIHost}). */
    static final String HOST = "local-tailscaled.sock";
    /** Status with peers=false, whois and cert pairs are a few KiB; this only guards memory. */
    static final int MAX_ANSWER_BYTES = 4 * 1024 * 1024;

    private LocalApiRequests() {}

    /**
     * GET with {@code Host: local-tailscaled.sock} (accepted on every transport, also by the
     * macOS GUI's TCP listener), one request per connection, Basic auth {@code ":" + token}
     * when there is a token. No Origin or Referer: tailscaled rejects those (CSRF guard).
     */
    static FullHttpRequest get(LocalApiCall call, String token) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, call.path());
        request.headers().set(HttpHeaderNames.HOST, HOST);
        request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        request.headers().set(HttpHeaderNames.ACCEPT, "application/json, text/plain");
        if (token != null) {
            String credentials = Base64.getEncoder().encodeToString((":" + token).getBytes(StandardCharsets.UTF_8));
            request.headers().set(HttpHeaderNames.AUTHORIZATION, "Basic " + credentials);
        }
        return request;
    }

    static LocalApiResponse toResponse(FullHttpResponse response) {
        return new LocalApiResponse(response.status().code(), ByteBufUtil.getBytes(response.content()));
    }
}
