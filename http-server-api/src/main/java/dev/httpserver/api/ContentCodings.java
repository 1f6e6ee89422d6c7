package dev.httpserver.api;

import java.util.Locale;

/** {@code Accept-Encoding} (RFC 9110 12.5.3): whether a client accepts a content coding. */
final class ContentCodings {

    private ContentCodings() {
    }

    /**
     * Whether {@code acceptEncoding} accepts {@code coding}: named with a quality above 0, or not
     * named and {@code *} has a quality above 0.
     */
    static boolean accepts(String acceptEncoding, String coding) {
        double named = -1;
        double star = -1;
        for (String element : acceptEncoding.split(",")) {
            String[] parts = element.split(";");
            String name = parts[0].trim().toLowerCase(Locale.ROOT);
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
            if (name.equals(coding)) {
                named = Math.max(named, q);
            } else if (name.equals("*")) {
                star = Math.max(star, q);
            }
        }
        return named >= 0 ? named > 0 : star > 0;
    }
}
