package org.segue.plugin.imagej;

import ij.ImagePlus;
import ij.gui.Roi;
import ij.process.ImageProcessor;
import org.segue.engine.spi.FaceBox;

import java.awt.Color;
import java.awt.Graphics;

/**
 * The outline of a protected region in an image's overlay: drawn on the screen only. ImageJ burns a visible
 * overlay into the pixels when it saves JPEG, PNG or GIF and when it flattens; these outlines are a guide for
 * the eye, not image content, so they leave themselves out of every flattened copy and are never drawn into
 * pixels.
 */
final class DetectionRoi extends Roi {

    /** The title ImageJ gives the image it paints a flattened copy on (ImagePlus.flatten, JPEG/PNG/GIF writers). */
    static final String FLATTEN_CANVAS = "flatten~canvas";
    /** Marks the outline in ROI properties, so a macro can tell it from the user's own overlay elements. */
    static final String PROPERTY = "segue";

    DetectionRoi(FaceBox region, String name, Color color) {
        super(region.x(), region.y(), region.width(), region.height());
        setName(name);
        setStrokeColor(color);
        setStrokeWidth(Math.max(2, region.width() / 100));
        setProperty(PROPERTY, "detection");
    }

    @Override
    public void drawOverlay(Graphics g) {
        ImagePlus on = getImage();
        if (on != null && FLATTEN_CANVAS.equals(on.getTitle())) {
            return;
        }
        super.drawOverlay(g);
    }

    /** Flattening a stack, Edit > Draw and the like draw a ROI into pixels: never this one. */
    @Override
    public void drawPixels(ImageProcessor ip) {
        // a guide for the eye only
    }
}
