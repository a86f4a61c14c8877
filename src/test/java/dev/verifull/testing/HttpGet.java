package dev.verifull.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.0 request to the metrics and health endpoints, on a connection of its own that the
 * server closes after answering: nothing is reused after an endpoint went away, and connecting
 * and every read have a time limit, so a test that scrapes can fail but never hang.
 */
public final class HttpGet {
    private static final int CONNECT_MILLIS = 5_000;
    private static final int READ_MILLIS = 10_000;

    private HttpGet() {
    }

    /** @param headers lower-case names */
    public record Response(int statusCode, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }
    }

    public static Response get(String url) {
        return request("GET", url);
    }

    /** @throws UncheckedIOException when the endpoint cannot be reached (e.g. a ConnectException after it stopped) */
    public static Response request(String method, String url) {
        URI uri = URI.create(url);
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_MILLIS);
            s.setSoTimeout(READ_MILLIS);
            String path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
            s.getOutputStream().write((method + " " + path + " HTTP/1.0\r\nHost: " + uri.getHost() + "\r\n"
                    + (method.equals("POST") ? "Content-Length: 1\r\n\r\nx" : "\r\n")).getBytes(StandardCharsets.US_ASCII));
            return parse(readAll(s.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[8192];
        for (int n; (n = in.read(b)) != -1; ) {
            out.write(b, 0, n);
            if (out.size() > 16 << 20) throw new IOException("response larger than 16 MiB");
        }
        return out.toByteArray();
    }

    private static Response parse(byte[] raw) throws IOException {
        String text = new String(raw, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) throw new IOException("no complete response head: " + text);
        String[] lines = text.substring(0, end).split("\r\n");
        String[] status = lines[0].split(" ", 3);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(status[1]), headers, text.substring(end + 4));
    }
}
