package org.segue.engine.api;

import java.awt.image.BufferedImage;

/**
 * An image protected in memory (a host's image, such as an ImageJ ImagePlus): the protected pixels, of
 * the same kind and size as the image given, and what was done.
 */
public record ProtectedImage(BufferedImage image, PhotoResult result) {}
