package org.segue.plugin.imagej;

import ij.Macro;
import ij.gui.GenericDialog;

import java.awt.Component;
import java.awt.GraphicsEnvironment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shows only the dialog fields that fit the chosen mode: fields are added in groups (both modes, current
 * image only, folder only), and switching the mode hides the other mode's group. Only a dialog on a screen
 * has components to hide; a macro or headless run reads the same keys either way.
 */
final class ModeFields {

    static final String BOTH = "both";

    private final GenericDialog gd;
    private final boolean onScreen;
    private final Map<Component, String> groups = new LinkedHashMap<>();
    private int collected;
    private String current = BOTH;

    ModeFields(GenericDialog gd) {
        this.gd = gd;
        this.onScreen = !GraphicsEnvironment.isHeadless() && Macro.getOptions() == null;
    }

    /** Whether the dialog is shown on a screen (so its fields are components that can be read and hidden). */
    boolean onScreen() {
        return onScreen;
    }

    /** The fields added from now on belong to {@code group} (a mode's name, or {@link #BOTH}). */
    void group(String group) {
        collect();
        current = group;
    }

    /** Shows the fields of {@code mode} and of both modes, hides the rest. */
    void show(String mode) {
        if (!onScreen) {
            return;
        }
        collect();
        for (Map.Entry<Component, String> e : groups.entrySet()) {
            e.getKey().setVisible(e.getValue().equals(BOTH) || e.getValue().equals(mode));
        }
        if (gd.isShowing()) {
            gd.pack();
        }
    }

    private void collect() {
        if (!onScreen) {
            return;
        }
        Component[] components = gd.getComponents();
        for (int i = collected; i < components.length; i++) {
            groups.put(components[i], current);
        }
        collected = components.length;
    }
}
