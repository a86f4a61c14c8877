package dev.verifull.tailscale;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;

/**
 * One HTTP exchange over a plain blocking byte stream (the Windows named pipe), framed by
 * Netty's HTTP codec in an {@link EmbeddedChannel} so that chunked and close-delimited answers
 * are handled by the same code as on sockets.
 */
final class BlockingHttpExchange {
    private BlockingHttpExchange() {}

    static LocalApiResponse exchange(InputStream in, OutputStream out, FullHttpRequest request) throws IOException {
        EmbeddedChannel codec = new EmbeddedChannel(new HttpClientCodec(),
                new HttpObjectAggregator(LocalApiRequests.MAX_ANSWER_BYTES));
        try {
            codec.writeOutbound(request);
            for (ByteBuf bytes; (bytes = codec.readOutbound()) != null; ) {
                try {
                    bytes.readBytes(out, bytes.readableBytes());
                } finally {
                    bytes.release();
                }
            }
            out.flush();
            byte[] buffer = new byte[16 * 1024];
            while (true) {
                FullHttpResponse response = codec.readInbound();
                if (response != null) return consume(response);
                int n = in.read(buffer);
                if (n < 0) {
                    codec.finish(); // end of stream completes a close-delimited body
                    response = codec.readInbound();
                    if (response != null) return consume(response);
                    throw new EOFException("tailscaled closed the connection without answering");
                }
                codec.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
            }
        } catch (RuntimeException malformedHttp) {
            throw new IOException("unreadable HTTP answer: " + malformedHttp.getMessage(), malformedHttp);
        } finally {
            codec.finishAndReleaseAll();
        }
    }

    private static LocalApiResponse consume(FullHttpResponse response) throws IOException {
        try {
            if (response.decoderResult().isFailure()) {
                throw new IOException("unreadable HTTP answer: " + response.decoderResult().cause());
            }
            return LocalApiRequests.toResponse(response);
        } finally {
            response.release();
        }
    }
}
