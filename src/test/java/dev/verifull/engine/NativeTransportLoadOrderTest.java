package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * InetAddress is initialised before Netty's native transport library loads: that load
 * initialises LinuxSocket, which needs InetAddress, under the JDK's native-library lock, and a
 * thread initialising InetAddress meanwhile deadlocked serve's start now and then (see
 * {@code NettyTransport.initialiseInetAddressFirst}). The race itself is too narrow to hit on
 * demand, so this checks the order that rules it out, in the class-loading log of a fresh JVM.
 */
@EnabledOnOs(OS.LINUX)
class NativeTransportLoadOrderTest {
    @TempDir
    Path dir;

    /** What the warm-up thread of serve does, alone in a JVM. */
    public static final class LoadNatives {
        public static void main(String[] args) {
            NettyTransport.loadNatives();
        }
    }

    @Test
    void inetAddressIsReadyBeforeTheNativeTransportLoads() throws Exception {
        Path log = dir.resolve("classes.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"), LoadNatives.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM finishes");
        assertEquals(0, p.exitValue(), Files.readString(dir.resolve("out.txt")));
        List<String> classes = Files.readAllLines(log);
        int inetAddress = indexOf(classes, "java.net.InetAddress ");
        int nativeLoad = indexOf(classes, "io.netty.channel.uring.LinuxSocket ");
        if (nativeLoad < 0) nativeLoad = indexOf(classes, "io.netty.channel.epoll.LinuxSocket ");
        assertTrue(nativeLoad >= 0, "a native transport loaded");
        assertTrue(inetAddress >= 0 && inetAddress < nativeLoad, "InetAddress at line " + inetAddress
                + ", the native transport's LinuxSocket at line " + nativeLoad);
    }

    private static int indexOf(List<String> lines, String className) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(" " + className)) return i;
        }
        return -1;
    }
}
