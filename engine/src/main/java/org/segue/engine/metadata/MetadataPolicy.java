package org.segue.engine.metadata;

/**
 * What the product keeps of a photo's metadata. Orientation, colour profile, capture settings,
 * captions and copyright are always kept; thumbnails and previews (they show the unprotected face),
 * face-region names and vendor blobs are always removed; the location is removed unless kept here.
 *
 * @param keepLocation keep the GPS block (off by default: where a person was is part of their privacy)
 */
public record MetadataPolicy(boolean keepLocation) {

    /** The default: location removed. */
    public static MetadataPolicy defaults() {
        return new MetadataPolicy(false);
    }
}
