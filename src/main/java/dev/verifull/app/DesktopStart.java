package dev.verifull.app;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.verifull.app.os.SoftwareRendering;

/**
 * Starts the desktop app with JavaFX as named modules, the only way JavaFX supports (otherwise it
 * warns "Unsupported JavaFX configuration: classes were loaded from 'unnamed module'" at every
 * start). When the launcher put JavaFX on the module path (the installers' runtime image,
 * {@code mvn javafx:run}, {@code java --module-path}), that is the boot layer and nothing more is
 * needed. With {@code java -jar verifull.jar} the jar's manifest can only name a class path: then
 * the JavaFX jars found there become a module layer, and the app's own classes are loaded on top
 * of it. Touches no JavaFX class itself, so it runs before JavaFX is loaded.
 */
public final class DesktopStart {
    /** Each JavaFX module the app uses, and a class that shows which jar holds it. */
    private static final Map<String, String> MODULES = new LinkedHashMap<>();

    static {
        MODULES.put("javafx.base", "javafx/beans/Observable.class");
        MODULES.put("javafx.graphics", "javafx/application/Application.class");
        MODULES.put("javafx.controls", "javafx/scene/control/Control.class");
        MODULES.put("javafx.fxml", "javafx/fxml/FXMLLoader.class");
    }

    private DesktopStart() {}

    public static void main(String[] args) throws ReflectiveOperationException {
        SoftwareRendering.chooseBeforeToolkit();
        ClassLoader app = loaderWithJavaFxModules(DesktopStart.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(app);
        Class.forName("dev.verifull.app.DesktopLauncher", true, app).getMethod("launch", String[].class)
                .invoke(null, (Object) args);
    }

    /**
     * The loader to load the app from: {@code classPath} itself when JavaFX is a named module
     * already (or cannot be found), else one that loads the app's classes over a layer of the JavaFX
     * modules from the jars {@code classPath} finds them in.
     */
    static ClassLoader loaderWithJavaFxModules(ClassLoader classPath) {
        if (ModuleLayer.boot().findModule("javafx.graphics").isPresent()) return classPath;
        List<Path> jars = new ArrayList<>();
        for (String resource : MODULES.values()) {
            Path jar = jarOf(classPath.getResource(resource));
            if (jar == null) return classPath; // not from jars: let JavaFX run as it can
            jars.add(jar);
        }
        try {
            Configuration modules = ModuleLayer.boot().configuration()
                    .resolve(ModuleFinder.of(jars.toArray(Path[]::new)), ModuleFinder.of(), MODULES.keySet());
            ModuleLayer layer = ModuleLayer.boot().defineModulesWithOneLoader(modules, classPath);
            URL appClasses = DesktopStart.class.getProtectionDomain().getCodeSource().getLocation();
            return new AppClassLoader(appClasses, layer.findLoader("javafx.graphics"));
        } catch (RuntimeException e) {
            return classPath; // a layout this does not know: the class path still works, with JavaFX's warning
        }
    }

    private static Path jarOf(URL resource) {
        if (resource == null || !"jar".equals(resource.getProtocol())) return null;
        try {
            return Path.of(((JarURLConnection) resource.openConnection()).getJarFileURL().toURI());
        } catch (IOException | URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Loads Verifull's classes itself (so they link against the JavaFX modules of the layer below)
     * and everything else as usual, through the layer to the class path.
     */
    static final class AppClassLoader extends URLClassLoader {
        static {
            registerAsParallelCapable();
        }

        AppClassLoader(URL appClasses, ClassLoader javaFx) {
            super("verifull-app", new URL[] {appClasses}, javaFx);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.verifull.")) return super.loadClass(name, resolve);
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException notHere) {
                        c = super.loadClass(name, false);
                    }
                }
                if (resolve) resolveClass(c);
                return c;
            }
        }
    }
}
