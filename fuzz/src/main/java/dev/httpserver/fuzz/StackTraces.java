package dev.httpserver.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;

final class StackTraces {

    private StackTraces() {
    }

    static String of(Throwable t) {
        StringWriter w = new StringWriter();
        try (PrintWriter pw = new PrintWriter(w)) {
            t.printStackTrace(pw);
        }
        return w.toString();
    }
}
