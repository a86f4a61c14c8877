import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Checks that a directory of jars (the runtime dependencies resolved for one platform, i.e. what
 * target/lib and so the app image would get) carries native libraries for that platform only,
 * and the ones it needs: netty-tcnative (OpenSSL), on Linux Netty's epoll and io_uring, and
 * JavaFX's glass. Each native file is identified by its own header (ELF machine, Mach-O CPU
 * type, PE machine), not by its name, so a mislabelled jar cannot pass.
 *
 * <pre>java .ci/CheckNatives.java linux-x86_64 target/platform-natives/linux-x86_64</pre>
 */
public final class CheckNatives {
    record Native(String jar, String entry, String os, String arch) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) fail("usage: CheckNatives PLATFORM DIR");
        String platform = args[0];
        Path dir = Path.of(args[1]);
        String wantOs = platform.substring(0, platform.indexOf('-'));
        String wantArch = platform.substring(platform.indexOf('-') + 1).replace("aarch_64", "aarch64");
        List<Native> natives = new ArrayList<>();
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        if (jars.isEmpty()) fail(dir + " has no jars");
        for (Path jar : jars) natives.addAll(nativesIn(jar));

        List<String> problems = new ArrayList<>();
        Map<String, List<String>> byJar = new TreeMap<>();
        for (Native n : natives) {
            byJar.computeIfAbsent(n.jar, k -> new ArrayList<>()).add(n.entry + " (" + n.os + " " + n.arch + ")");
            if (!n.os.equals(wantOs) || !n.arch.equals(wantArch)) {
                problems.add(n.jar + "!/" + n.entry + " is for " + n.os + " " + n.arch + ", not " + platform);
            }
        }
        List<String> required = new ArrayList<>(List.of("netty_tcnative", "glass"));
        if (wantOs.equals("linux")) required.addAll(List.of("netty_transport_native_epoll", "netty_transport_native_io_uring"));
        for (String r : required) {
            if (natives.stream().noneMatch(n -> n.entry.contains(r))) problems.add("no native library named *" + r + "* for " + platform);
        }
        // Netty's transports for other systems must not come along, even as empty shells.
        List<String> foreign = wantOs.equals("linux") ? List.of("kqueue") : List.of("epoll", "io_uring", "kqueue");
        for (Path jar : jars) {
            String name = jar.getFileName().toString();
            for (String f : foreign) {
                if (name.startsWith("netty-transport-native-" + f)) problems.add(name + " does not belong on " + platform);
            }
        }

        System.out.println("== " + platform + ": " + jars.size() + " jars, " + natives.size() + " native libraries");
        byJar.forEach((jar, list) -> System.out.println("  " + jar + ": " + list.size() + " ("
                + list.stream().limit(3).collect(Collectors.joining(", ")) + (list.size() > 3 ? ", ..." : "") + ")"));
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.out.println("  WRONG: " + p));
            fail(problems.size() + " problem(s) for " + platform);
        }
        System.out.println("  ok: only " + platform + " natives, and all of " + required);
    }

    static List<Native> nativesIn(Path jar) throws IOException {
        List<Native> found = new ArrayList<>();
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                String name = e.getName();
                if (e.isDirectory() || name.endsWith(".class") || e.getSize() == 0) continue;
                byte[] head;
                try (InputStream in = z.getInputStream(e)) {
                    head = in.readNBytes(4096);
                }
                String[] kind = identify(head);
                if (kind != null) found.add(new Native(jar.getFileName().toString(), name, kind[0], kind[1]));
            }
        }
        return found;
    }

    /** {os, arch} of an executable or shared library, or null when the bytes are not one. */
    static String[] identify(byte[] b) {
        if (b.length < 64) return null;
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer be = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        if (b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F') {
            ByteBuffer order = b[5] == 2 ? be : le;
            int machine = order.getShort(18) & 0xffff;
            return new String[] {"linux", switch (machine) {
                case 62 -> "x86_64";
                case 183 -> "aarch64";
                case 3 -> "x86_32";
                default -> "elf-machine-" + machine;
            }};
        }
        int magicLe = le.getInt(0);
        if (magicLe == 0xfeedfacf || magicLe == 0xfeedface) return new String[] {"osx", machOCpu(le.getInt(4))};
        if (be.getInt(0) == 0xcafebabe) { // a universal (fat) Mach-O binary: one CPU type per slice
            int slices = be.getInt(4);
            if (slices <= 0 || slices > 8) return null;
            List<String> cpus = new ArrayList<>();
            for (int i = 0; i < slices; i++) cpus.add(machOCpu(be.getInt(8 + i * 20)));
            return new String[] {"osx", String.join("+", cpus)};
        }
        if (b[0] == 'M' && b[1] == 'Z') {
            int pe = le.getInt(0x3c);
            if (pe > 0 && pe + 6 <= b.length && b[pe] == 'P' && b[pe + 1] == 'E' && b[pe + 2] == 0 && b[pe + 3] == 0) {
                int machine = le.getShort(pe + 4) & 0xffff;
                return new String[] {"windows", switch (machine) {
                    case 0x8664 -> "x86_64";
                    case 0xaa64 -> "aarch64";
                    case 0x14c -> "x86_32";
                    default -> "pe-machine-" + Integer.toHexString(machine);
                }};
            }
        }
        return null;
    }

    static String machOCpu(int cpuType) {
        return switch (cpuType) {
            case 0x01000007 -> "x86_64";
            case 0x0100000c -> "aarch64";
            default -> "macho-cpu-" + Integer.toHexString(cpuType);
        };
    }

    static void fail(String message) {
        System.err.println("CheckNatives: " + message);
        System.exit(1);
    }
}
