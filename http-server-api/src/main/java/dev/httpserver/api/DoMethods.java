package dev.httpserver.api;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code doXXX()} methods of each handler class, found once per class: Python's
 * {@code getattr(self, 'do_' + command)} without reflection on every request. A method counts when
 * it is named {@code do} + the exact method token, takes no parameter and is not static; any
 * visibility will do (the most derived declaration wins, as attribute lookup does in Python).
 */
final class DoMethods {

    private static final ClassValue<Map<String, Method>> BY_CLASS = new ClassValue<>() {
        @Override
        protected Map<String, Method> computeValue(Class<?> type) {
            Map<String, Method> found = new HashMap<>();
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    String name = m.getName();
                    if (name.length() > 2 && name.startsWith("do") && m.getParameterCount() == 0
                            && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic() && !m.isBridge()
                            && !found.containsKey(name.substring(2))) {
                        try {
                            m.setAccessible(true);
                        } catch (RuntimeException inaccessible) {
                            if (!Modifier.isPublic(m.getModifiers())) {
                                continue; // a module that does not open its package keeps its non-public methods
                            }
                        }
                        found.put(name.substring(2), m);
                    }
                }
            }
            return Map.copyOf(found);
        }
    };

    private DoMethods() {
    }

    /** The {@code do} + {@code command} method of {@code type}, or null: the lookup is exact and case-sensitive. */
    static Method find(Class<?> type, String command) {
        return BY_CLASS.get(type).get(command);
    }

    /** Calls {@code method} on {@code target}, rethrowing what the method threw as it was thrown. */
    static void invoke(Method method, Object target) throws Exception {
        try {
            method.invoke(target);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw e;
        }
    }
}
