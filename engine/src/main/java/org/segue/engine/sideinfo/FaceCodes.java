package org.segue.engine.sideinfo;

import org.segue.engine.api.Identities;

import java.util.Arrays;
import java.util.Map;

/**
 * The identity label of each face (whose 16-bit code is the generator's side information), decided
 * from the host's {@link Identities}: the one place every host's faces get their labels.
 */
public final class FaceCodes {

    private FaceCodes() {}

    /**
     * The labels of one photo's faces where no batch is grouped: a person's name code for every face; a
     * mapping's names where listed; otherwise the faces of the photo taken as different people.
     *
     * @param photo the photo's name as reports give it (the mapping's key)
     */
    public static int[] forPhoto(Identities identities, String photo, int faces) {
        int[] labels = new int[faces];
        for (int f = 0; f < faces; f++) {
            String name = nameOf(identities, photo, f);
            labels[f] = name != null ? forName(name) : LabelCode.labelForGroup(f);
        }
        return labels;
    }

    /** The name a face is given by the identities, or null when they leave it to grouping. */
    public static String nameOf(Identities identities, String photo, int face) {
        if (identities instanceof Identities.Person p) {
            return p.name();
        }
        if (identities instanceof Identities.Mapping m) {
            Map<String, String> people = m.people();
            return people.getOrDefault(photo + "#" + face, people.get(photo));
        }
        return null;
    }

    /** Whether faces the identities do not name are grouped across the batch. */
    public static boolean groupsTheRest(Identities identities) {
        return identities instanceof Identities.Grouped || identities instanceof Identities.Mapping;
    }

    /** The number of groups asked for (0: ceil(sqrt(faces))). */
    public static int groupsAskedFor(Identities identities) {
        return identities instanceof Identities.Grouped g ? g.groups()
                : identities instanceof Identities.Mapping m ? m.groups() : 0;
    }

    /** The label of a person's name, or of their alias ({@link Identities#alias}), which is that label in hex. */
    public static int forName(String name) {
        if (Identities.isAlias(name)) {
            return Integer.parseInt(name.strip().substring(Identities.ALIAS_PREFIX.length()), 16);
        }
        return LabelCode.labelForName(name, LabelCode.DEFAULT_BITS);
    }

    public static int forGroup(int group) {
        return LabelCode.labelForGroup(group);
    }

    public static int[] filled(int faces, int label) {
        int[] l = new int[faces];
        Arrays.fill(l, label);
        return l;
    }
}
