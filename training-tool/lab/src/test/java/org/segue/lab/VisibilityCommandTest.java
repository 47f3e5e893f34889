package org.segue.lab;

import org.junit.jupiter.api.Test;
import org.segue.engine.internal.RgbImage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class VisibilityCommandTest {

    @Test
    void aWholePhotoIsShrunkToTheScreensLongSideAndASmallOneIsLeftAlone() {
        RgbImage wide = new RgbImage(new float[3 * 40 * 100], 40, 100);
        RgbImage fitted = VisibilityCommand.fitted(wide, 50);
        assertEquals(50, fitted.width());
        assertEquals(20, fitted.height());
        assertSame(wide, VisibilityCommand.fitted(wide, 100), "already fits");
        assertSame(wide, VisibilityCommand.fitted(wide, 0), "0: as stored");
    }
}
