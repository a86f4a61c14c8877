package dev.verifull.app.os;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One window per user: the first launch holds a lock file in the app-data dir and listens on a
 * loopback port written beside it; a second launch finds the lock taken, sends "show" (with the
 * secret token from that file, so no other program can poke the window) and exits.
 */
public final class SingleInstance implements AutoCloseable {
    private static final int ATTEMPTS = 20;

    private final FileChannel channel;
    private final FileLock lock;
    private final ServerSocket server;
    private final Path portFile;
    private final AtomicReference<Runnable> onShow = new AtomicReference<>(() -> {});

    private SingleInstance(FileChannel channel, FileLock lock, ServerSocket server, Path portFile) {
        this.channel = channel;
        this.lock = lock;
        this.server = server;
        this.portFile = portFile;
    }

    /**
     * Becomes the running instance, or tells the running one to show its window.
     *
     * @return this process's instance, or null when another one is running and was told to show
     */
    public static SingleInstance claim(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path lockFile = dir.resolve("instance.lock");
        Path portFile = dir.resolve("instance.port");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very JVM (tests)
            }
            if (lock != null) return listen(channel, lock, portFile);
            channel.close();
            if (askToShow(portFile)) return null;
            // the running instance is still starting (no port file yet) or just quit: try again
            sleep(150);
        }
        throw new IOException("another Verifull holds " + lockFile + " but does not answer");
    }

    private static SingleInstance listen(FileChannel channel, FileLock lock, Path portFile) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        Path temp = Files.createTempFile(portFile.getParent(), ".instance", ".port");
        Files.writeString(temp, server.getLocalPort() + " " + token + "\n");
        Files.move(temp, portFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        SingleInstance instance = new SingleInstance(channel, lock, server, portFile);
        Thread t = new Thread(() -> instance.serve(token), "verifull-single-instance");
        t.setDaemon(true);
        t.start();
        return instance;
    }

    /** What to do when a second launch asks (called on a background thread). */
    public void onShow(Runnable action) {
        onShow.set(action);
    }

    private void serve(String token) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(2000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                if (("show " + token).equals(line)) {
                    s.getOutputStream().write("ok\n".getBytes(StandardCharsets.US_ASCII));
                    onShow.get().run();
                }
            } catch (IOException | RuntimeException e) {
                // a stray or slow connection: ignore it and keep listening
            }
        }
    }

    private static boolean askToShow(Path portFile) {
        try {
            String[] parts = Files.readString(portFile).trim().split(" ");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(parts[0])), 1000);
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write(("show " + parts[1] + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
                return "ok".equals(answer);
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(portFile);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // exiting anyway; the OS drops the lock with the process
        }
    }
}
