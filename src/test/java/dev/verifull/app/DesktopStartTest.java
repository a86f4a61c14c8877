package dev.verifull.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

/**
 * From a class path (as {@code java -jar verifull.jar} has it), the desktop app is loaded over
 * JavaFX as named modules, so JavaFX does not warn about an unsupported configuration.
 */
class DesktopStartTest {
    @Test
    void theAppsClassesLinkAgainstJavaFxAsNamedModules() throws Exception {
        ClassLoader classPath = getClass().getClassLoader();
        ClassLoader app = DesktopStart.loaderWithJavaFxModules(classPath);
        assertNotSame(classPath, app, "JavaFX is on the class path here: a layer is made");

        Class<?> platformImpl = Class.forName("com.sun.javafx.application.PlatformImpl", false, app);
        Module graphics = platformImpl.getModule();
        assertTrue(graphics.isNamed(), "what JavaFX checks before it warns");
        assertEquals("javafx.graphics", graphics.getName());
        assertTrue(!graphics.getDescriptor().isAutomatic() && !graphics.getDescriptor().isOpen());

        Class<?> views = Class.forName("dev.verifull.app.ui.Views", false, app);
        assertSame(app, views.getClassLoader(), "the app's classes come from the app loader");
        Method load = views.getMethod("load", Class.class, String.class, Class.forName("javafx.util.Callback", false, app));
        assertEquals("javafx.base", load.getParameterTypes()[2].getModule().getName(), "and see JavaFX's modules");
        assertSame(Class.forName("io.netty.buffer.ByteBuf", false, classPath), Class.forName("io.netty.buffer.ByteBuf", false, app),
                "libraries stay on the class path, shared");
    }
}
