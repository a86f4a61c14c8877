package dev.verifull.audit;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The default name of this process in audit records ({@link AuditFields#INSTANCE}): the host
 * name, which in Kubernetes is the pod's name, so the lines of several replicas in one log
 * store can be told apart. {@code verifull serve --instance NAME} sets it explicitly.
 */
public final class AuditInstance {
    private AuditInstance() {}

    public static String defaultName() {
        return Holder.NAME;
    }

    private static final class Holder {
        static final String NAME = find();
    }

    static String find() {
        // Kubernetes and Docker export HOSTNAME (the pod or container name); Windows COMPUTERNAME.
        for (String variable : new String[] {"HOSTNAME", "COMPUTERNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) return value.trim();
        }
        try { // Linux: the kernel's name, without a DNS lookup (shells set HOSTNAME but do not export it)
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                String name = Files.readString(kernel, StandardCharsets.UTF_8).trim();
                if (!name.isEmpty()) return name;
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
