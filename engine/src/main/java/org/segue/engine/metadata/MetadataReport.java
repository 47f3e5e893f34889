package org.segue.engine.metadata;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What metadata a protected copy lost, in words (one entry per kind: "GPS location",
 * "EXIF thumbnail (IFD1)"...). Entries name kinds of data, never their values, so a report can be
 * logged or stored without leaking what it describes.
 */
public final class MetadataReport {

    private final Set<String> removed = new LinkedHashSet<>();

    public void removed(String what) {
        removed.add(what);
    }

    public List<String> removedItems() {
        return Collections.unmodifiableList(new ArrayList<>(removed));
    }

    @Override
    public String toString() {
        return removed.isEmpty() ? "nothing removed" : "removed: " + String.join("; ", removed);
    }
}
