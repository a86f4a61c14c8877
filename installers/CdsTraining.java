import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * A training run for the runtime's CDS archive (see Dist.java): starts the desktop app the way
 * its launcher does, waits until a window is showing, gives it a second to lay out and paint,
 * and exits normally so the JVM writes the list of classes it loaded
 * (-XX:DumpLoadedClassList). Exit 2 when no window appears within a minute, so Dist keeps the
 * runtime's plain archive.
 *
 * <p>Uses reflection only, so it compiles without the app or JavaFX on the class path.
 */
public final class CdsTraining {
    public static void main(String[] args) throws Exception {
        Thread app = new Thread(() -> {
            try {
                // No arguments: Main opens the window (with arguments it would run the CLI).
                Class.forName("dev.verifull.Main").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
            } catch (InvocationTargetException e) {
                e.getCause().printStackTrace();
                System.exit(3);
            } catch (ReflectiveOperationException e) {
                e.printStackTrace();
                System.exit(3);
            }
        }, "training-app");
        app.setDaemon(true);
        app.start();

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            Thread.sleep(100);
            if (windowShowing()) {
                Thread.sleep(1000);
                System.exit(0);
            }
        }
        System.err.println("CdsTraining: no window within 60 s");
        System.exit(2);
    }

    /** javafx.stage.Window.getWindows() is only read here, never changed, so any thread will do. */
    static boolean windowShowing() {
        try {
            Class<?> window = Class.forName("javafx.stage.Window");
            for (Object w : (List<?>) window.getMethod("getWindows").invoke(null)) {
                if ((Boolean) window.getMethod("isShowing").invoke(w)) return true;
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // JavaFX not started yet
        }
        return false;
    }
}
