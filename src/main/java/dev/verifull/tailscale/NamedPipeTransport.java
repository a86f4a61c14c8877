package dev.verifull.tailscale;

import java.io.Closeable;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * HTTP/1.1 over the Windows named pipe, opened as a file. Plain {@code CreateFile} (what
 * {@link RandomAccessFile} does) connects at the Impersonation level, which tailscaled needs to
 * learn who is asking. The exchange blocks, so it runs on the client's blocking pool; a timeout
 * closes the pipe to end it.
 */
final class NamedPipeTransport implements LocalApiTransport {
    /** Opens a fresh connection; swappable so the code path can be tested off Windows. */
    interface Opener {
        Connection open() throws IOException;
    }

    interface Connection extends Closeable {
        InputStream in();

        OutputStream out();
    }

    private static final long BUSY_RETRY_MILLIS = 50;

    private final LocalApiEndpoint.NamedPipe endpoint;
    private final Opener opener;
    private final LocalApiThreads threads;

    NamedPipeTransport(LocalApiEndpoint.NamedPipe endpoint, LocalApiThreads threads) {
        this(endpoint, () -> openPipe(endpoint.path()), threads);
    }

    NamedPipeTransport(LocalApiEndpoint.NamedPipe endpoint, Opener opener, LocalApiThreads threads) {
        this.endpoint = endpoint;
        this.opener = opener;
        this.threads = threads;
    }

    @Override
    public LocalApiEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public CompletableFuture<LocalApiResponse> send(LocalApiCall call, Duration timeout) {
        CompletableFuture<LocalApiResponse> answer = new CompletableFuture<>();
        AtomicReference<Connection> opened = new AtomicReference<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        threads.blocking().execute(() -> {
            Connection connection;
            try {
                connection = openWhenNotBusy(deadline);
            } catch (IOException e) {
                answer.completeExceptionally(TailscaleUnreachableException.at(endpoint, reason(e), e));
                return;
            }
            opened.set(connection);
            try (connection) {
                if (answer.isDone()) return;
                answer.complete(BlockingHttpExchange.exchange(connection.in(), connection.out(),
                        LocalApiRequests.get(call, null)));
            } catch (IOException e) {
                answer.completeExceptionally(TailscaleUnreachableException.at(endpoint, reason(e), e));
            }
        });
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS, threads.blocking()).execute(() -> {
            if (answer.completeExceptionally(new LocalApiTimeoutException(call.operation(), timeout, endpoint))) {
                closeQuietly(opened.get());
            }
        });
        return answer;
    }

    // All pipe instances busy is transient: tailscaled creates a new instance per accepted client.
    private Connection openWhenNotBusy(long deadline) throws IOException {
        while (true) {
            try {
                return opener.open();
            } catch (FileNotFoundException e) {
                String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
                if (!m.contains("busy") || System.nanoTime() > deadline) throw e;
                try {
                    Thread.sleep(BUSY_RETRY_MILLIS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static String reason(IOException e) {
        if (e instanceof FileNotFoundException) {
            String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (m.contains("cannot find")) return "no such pipe; is the Tailscale service running?";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (IOException ignored) {
            // closing only to stop a stuck exchange
        }
    }

    private static Connection openPipe(String path) throws IOException {
        RandomAccessFile pipe = new RandomAccessFile(path, "rw");
        // Not FileChannel streams: pipes have no position, plain read/write is what works.
        InputStream in = new InputStream() {
            @Override
            public int read() throws IOException {
                return pipe.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return pipe.read(b, off, len);
            }
        };
        OutputStream out = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                pipe.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                pipe.write(b, off, len);
            }
        };
        return new Connection() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return out;
            }

            @Override
            public void close() throws IOException {
                pipe.close();
            }
        };
    }
}
