package org.segue.engine.api;

import org.segue.engine.sideinfo.FaceCodes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who each face is: the generator's side information is one identity code per face, and a person's
 * faces must share theirs. Decided here for every host; person names never leave this object (no
 * report, log or output holds them).
 */
public sealed interface Identities {

    /**
     * Every face is this person: a stable code from the name (the same on every photo and run). The name may
     * be the person's {@link #alias}, which gives the same code.
     */
    record Person(String name) implements Identities {
        public Person {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a person needs a name");
            }
        }

        /** The record's text without the name, so a log line or exception never shows it. */
        @Override
        public String toString() {
            return "Person[name withheld]";
        }
    }

    /**
     * Faces are looked up in a mapping ({@code photo} or {@code photo#face} -> person name, photo paths
     * as in the report); faces not listed are grouped as {@link Grouped} does.
     */
    record Mapping(Map<String, String> people, int groups) implements Identities {
        public Mapping {
            people = Map.copyOf(people);
            if (groups < 0) {
                throw new IllegalArgumentException("groups must be >= 0, was " + groups);
            }
        }

        @Override
        public String toString() {
            return "Mapping[" + people.size() + " entries, groups=" + groups + "]";
        }
    }

    /**
     * The faces of a batch are grouped by person, one code per group: a pretrained face recogniser embeds each
     * face, and with {@code groups} 0 faces close enough to be one person form a group (the number of people
     * need not be known); otherwise they are split into exactly {@code groups} groups. A single photo has no
     * batch to group: its faces are taken as different people, as {@link EachFaceApart}.
     */
    record Grouped(int groups) implements Identities {
        public Grouped {
            if (groups < 0) {
                throw new IllegalArgumentException("groups must be >= 0, was " + groups);
            }
        }
    }

    /** Nobody said who is who: the faces of one photo are different people, one code each. */
    record EachFaceApart() implements Identities {}

    /** How an alias starts: {@code code:} and four hexadecimal digits. */
    String ALIAS_PREFIX = "code:";

    /**
     * A person's alias: their 16-bit code as {@code code:} and four hexadecimal digits (e.g. {@code code:3f9a}),
     * to be written where a name must not be (a recorded macro, a script): the same code as the name, and the
     * name cannot be read back from it (65536 codes, many names each).
     */
    static String alias(String name) {
        return String.format(java.util.Locale.ROOT, "%s%04x", ALIAS_PREFIX, FaceCodes.forName(name));
    }

    /** Whether a person field holds an alias rather than a name. */
    static boolean isAlias(String text) {
        return text != null && text.strip().toLowerCase(java.util.Locale.ROOT).matches("code:[0-9a-f]{4}");
    }

    static Identities person(String name) {
        return new Person(name);
    }

    static Identities grouped(int groups) {
        return new Grouped(groups);
    }

    static Identities eachFaceApart() {
        return new EachFaceApart();
    }

    /**
     * Reads {@code photo[#face],person} lines into a {@link Mapping}; blank lines and lines starting
     * with # are skipped.
     */
    static Mapping mapping(Path csv, int groups) throws IOException {
        Map<String, String> people = new LinkedHashMap<>();
        int n = 0;
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            n++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int comma = t.lastIndexOf(',');
            if (comma <= 0 || comma == t.length() - 1) {
                throw new IllegalArgumentException(csv + " line " + n + ": expected photo[#face],person");
            }
            people.put(t.substring(0, comma).strip(), t.substring(comma + 1).strip());
        }
        return new Mapping(people, groups);
    }
}
