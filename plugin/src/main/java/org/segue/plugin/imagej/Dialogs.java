package org.segue.plugin.imagej;

import ij.gui.GenericDialog;

import java.awt.GraphicsEnvironment;

/**
 * Dialog fields that work the same interactively, from macros and headless. Folder and file fields
 * get a Browse button on a screen; headless (Fiji --headless, where ij1-patcher's dialog has no
 * folder or file fields) they are plain text fields with the same macro key.
 */
final class Dialogs {

    private Dialogs() {}

    static void addFolderField(GenericDialog gd, String label, String value) {
        if (GraphicsEnvironment.isHeadless()) {
            gd.addStringField(label, value, 40);
        } else {
            gd.addDirectoryField(label, value, 40);
        }
    }

    static void addFileField(GenericDialog gd, String label, String value) {
        if (GraphicsEnvironment.isHeadless()) {
            gd.addStringField(label, value, 40);
        } else {
            gd.addFileField(label, value, 40);
        }
    }
}
