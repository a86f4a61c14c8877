package dev.verifull.app.ui;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import javafx.util.Callback;

/**
 * Hands FXMLLoader controllers built with their dependencies (constructor injection), including
 * those of {@code fx:include}d files. Unknown classes are a programming error.
 */
public final class ControllerFactory implements Callback<Class<?>, Object> {
    private final Map<Class<?>, Supplier<?>> suppliers = new HashMap<>();

    public <T> ControllerFactory register(Class<T> type, Supplier<? extends T> supplier) {
        suppliers.put(type, supplier);
        return this;
    }

    @Override
    public Object call(Class<?> type) {
        Supplier<?> s = suppliers.get(type);
        if (s == null) throw new IllegalStateException("no controller registered for " + type.getName());
        return s.get();
    }
}
