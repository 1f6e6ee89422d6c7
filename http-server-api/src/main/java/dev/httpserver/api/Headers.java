package dev.httpserver.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The request headers, as Python's {@code self.headers} (an {@code email.message.Message}):
 * names are matched case-insensitively, a name may appear several times, and the order in
 * which the client sent them is kept. Instances are immutable: handlers read them, the server
 * builds them with {@link #builder()}.
 *
 * <p>Python's {@code headers.get(name)} is {@link #get(String)}, {@code headers.get(name, failobj)}
 * is {@link #get(String, String)}, {@code headers.get_all(name)} is {@link #getAll(String)},
 * {@code name in headers} is {@link #contains(String)}, {@code headers.keys()} is
 * {@link #keys()} and {@code headers.items()} is {@link #items()}.
 */
public final class Headers {

    private static final Headers EMPTY = new Headers(List.of());

    private final List<Map.Entry<String, String>> entries;

    private Headers(List<Map.Entry<String, String>> entries) {
        this.entries = entries;
    }

    /**
     * Headers with no field at all.
     *
     * @return the empty headers, shared
     */
    public static Headers empty() {
        return EMPTY;
    }

    /**
     * A builder that keeps the order of {@link Builder#add} calls.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The first value of the field named {@code name} (any case), or {@code null} when the
     * request has no such field, as Python's {@code headers.get(name)}.
     *
     * @param name the field name, any case
     * @return the first value, or null when absent
     */
    public String get(String name) {
        Objects.requireNonNull(name, "name");
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * The first value of {@code name}, or {@code fallback} when absent: {@code headers.get(name, failobj)}.
     *
     * @param name the field name, any case
     * @param fallback what to return when the field is absent; may be null
     * @return the first value, or {@code fallback}
     */
    public String get(String name, String fallback) {
        String value = get(name);
        return value == null ? fallback : value;
    }

    /**
     * The first value of {@code name}, if any.
     *
     * @param name the field name, any case
     * @return the first value, or empty when absent
     */
    public Optional<String> first(String name) {
        return Optional.ofNullable(get(name));
    }

    /**
     * Every value of {@code name} in the order received; empty when absent: {@code headers.get_all(name)}.
     *
     * @param name the field name, any case
     * @return the values, unmodifiable
     */
    public List<String> getAll(String name) {
        Objects.requireNonNull(name, "name");
        List<String> values = new ArrayList<>(2);
        for (Map.Entry<String, String> e : entries) {
            if (e.getKey().equalsIgnoreCase(name)) {
                values.add(e.getValue());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /**
     * Whether a field named {@code name} is present: Python's {@code name in headers}.
     *
     * @param name the field name, any case
     * @return true when at least one field has that name
     */
    public boolean contains(String name) {
        return get(name) != null;
    }

    /**
     * The field names as sent, in order, duplicates kept: Python's {@code headers.keys()}.
     *
     * @return the names, unmodifiable
     */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(entries.size());
        for (Map.Entry<String, String> e : entries) {
            keys.add(e.getKey());
        }
        return Collections.unmodifiableList(keys);
    }

    /**
     * The distinct field names, lower-cased, in order of first appearance.
     *
     * @return the names, unmodifiable
     */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        for (Map.Entry<String, String> e : entries) {
            names.add(e.getKey().toLowerCase(Locale.ROOT));
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * Every (name, value) pair, in order: Python's {@code headers.items()}.
     *
     * @return the fields, unmodifiable
     */
    public List<Map.Entry<String, String>> items() {
        return entries;
    }

    /**
     * The number of fields, duplicates counted: Python's {@code len(headers)}.
     *
     * @return the number of fields
     */
    public int size() {
        return entries.size();
    }

    /**
     * Whether there is no field.
     *
     * @return true when there are no fields
     */
    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The fields as they would appear on the wire, one {@code Name: value} line each. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : entries) {
            sb.append(e.getKey()).append(": ").append(e.getValue()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers && ((Headers) o).entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    /** Collects fields in order; {@link #build()} gives an immutable {@link Headers}. */
    public static final class Builder {
        private final List<Map.Entry<String, String>> entries = new ArrayList<>();

        private Builder() {
        }

        /**
         * Appends a field; neither part may be null.
         *
         * @param name the field name, as it is to be kept
         * @param value the field value
         * @return this builder
         */
        public Builder add(String name, String value) {
            entries.add(Map.entry(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
            return this;
        }

        /**
         * The headers collected so far.
         *
         * @return immutable headers with the fields added so far, in order
         */
        public Headers build() {
            return entries.isEmpty() ? EMPTY : new Headers(List.copyOf(entries));
        }
    }
}
