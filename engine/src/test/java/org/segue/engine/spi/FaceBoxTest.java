package org.segue.engine.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FaceBoxTest {

    @Test
    void intersectionOverUnion() {
        FaceBox a = new FaceBox(0, 0, 10, 10);
        assertEquals(1.0, a.iou(a));
        assertEquals(0.0, a.iou(new FaceBox(10, 0, 10, 10)), "boxes that only touch");
        assertEquals(0.0, a.iou(new FaceBox(50, 50, 5, 5)));
        // half of a overlaps half of b: 50 / (100 + 100 - 50)
        assertEquals(50.0 / 150, a.iou(new FaceBox(5, 0, 10, 10)), 1e-12);
        // one inside the other: the smaller's area over the larger's, where overlapOfSmaller says 1
        FaceBox inner = new FaceBox(2, 2, 5, 5);
        assertEquals(25.0 / 100, a.iou(inner), 1e-12);
        assertEquals(inner.iou(a), a.iou(inner));
        assertEquals(1.0, a.overlapOfSmaller(inner));
    }
}
