package dev.httpserver.api;


/** {@code Accept-Encoding} (RFC 9110 12.5.3): whether a client accepts a content coding. */
final class ContentCodings {

    private ContentCodings() {
    }

    /**
     * Whether {@code acceptEncoding} accepts {@code coding}: named with a quality above 0, or not
     * named and {@code *} has a quality above 0.
     */
    static boolean accepts(String acceptEncoding, String coding) {
        double named = quality(acceptEncoding, coding);
        return named >= 0 ? named > 0 : quality(acceptEncoding, "*") > 0;
    }

    /**
     * The quality ({@code q}, 1 when not given, 0 when unreadable) that a list such as
     * {@code Accept} or {@code Accept-Encoding} gives {@code name} (compared in any case, without
     * parameters); the highest if it is named several times, -1 if it is not named.
     */
    static double quality(String header, String name) {
        double best = -1;
        for (String element : header.split(",")) {
            String[] parts = element.split(";");
            if (!parts[0].trim().equalsIgnoreCase(name)) {
                continue;
            }
            double q = 1;
            for (int i = 1; i < parts.length; i++) {
                String param = parts[i].trim();
                if (param.length() > 2 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q') && param.charAt(1) == '=') {
                    try {
                        q = Double.parseDouble(param.substring(2).trim());
                    } catch (NumberFormatException e) {
                        q = 0; // an unreadable weight: not acceptable
                    }
                }
            }
            best = Math.max(best, q);
        }
        return best;
    }
}
