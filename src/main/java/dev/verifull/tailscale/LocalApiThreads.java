package dev.verifull.tailscale;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The client's own threads, so that callers' event loops and UI threads never do LocalAPI work:
 * one NIO event loop for socket I/O (created on first use) and a pool of daemon threads for
 * blocking work (named pipe, CLI, lsof) and for completing the futures handed to callers.
 */
final class LocalApiThreads implements AutoCloseable {
    private final ExecutorService blocking =
            Executors.newCachedThreadPool(new DefaultThreadFactory("verifull-tailscale", true));
    private EventLoopGroup io;

    synchronized EventLoopGroup io() {
        if (io == null) {
            io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("verifull-tailscale-io", true),
                    NioIoHandler.newFactory());
        }
        return io;
    }

    ExecutorService blocking() {
        return blocking;
    }

    /**
     * Where answers are handed to callers. After {@link #close()} it runs them inline instead
     * of dropping them, so no caller is left waiting on a future that can never complete.
     */
    Executor completions() {
        return task -> {
            try {
                blocking.execute(task);
            } catch (RejectedExecutionException closed) {
                task.run();
            }
        };
    }

    @Override
    public synchronized void close() {
        blocking.shutdownNow();
        if (io != null) io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
