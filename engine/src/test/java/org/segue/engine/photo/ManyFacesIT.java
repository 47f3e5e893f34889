package org.segue.engine.photo;

import org.segue.engine.api.ProtectionOptions;
import org.junit.jupiter.api.Test;
import org.segue.engine.SharedData;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A group photo of 100 real faces (WebFace10 crops, 112 px, each in a 160 px cell of background, as people stand
 * apart in a group photo) is protected in one go. The photo is searched at 800 px, where a face is 56 px.
 */
class ManyFacesIT {

    @Test
    void aHundredFaces() throws Exception {
        Path faces = SharedData.require("datasets/webface10/train");
        List<Path> files;
        try (Stream<Path> s = Files.walk(faces)) {
            files = s.filter(Files::isRegularFile).sorted().limit(100).toList();
        }
        int cell = 160;
        int face = 112;
        BufferedImage group = new BufferedImage(10 * cell, 10 * cell, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = group.createGraphics();
        g.setColor(new java.awt.Color(96, 104, 112));
        g.fillRect(0, 0, group.getWidth(), group.getHeight());
        int inset = (cell - face) / 2;
        for (int i = 0; i < files.size(); i++) {
            g.drawImage(ImageIO.read(files.get(i).toFile()), (i % 10) * cell + inset, (i / 10) * cell + inset, face, face,
                    null);
        }
        g.dispose();
        byte[] png = TestPhotos.encode(group, "png");
        {
            PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), TestEngine.detector(),
                    ProtectionOptions.defaults());
            PhotoProtector.Analysed a = protector.analyse(png, "group.png");
            PhotoProtector.Result r = protector.protect(a, new int[a.faces().size()]);
            assertTrue(a.faces().size() >= 90, "found only " + a.faces().size() + " of 100 faces");
            assertTrue(r.maxChange() <= 8, "change " + r.maxChange());
            int[] worst = CelebaWildIT.compare(group, ImageIO.read(new ByteArrayInputStream(r.output())), a.faces());
            assertTrue(worst[0] <= 8 && worst[1] == 0, "inside " + worst[0] + ", outside " + worst[1]);
            System.out.printf("group photo: %d of 100 faces found, %.2f s%n", a.faces().size(), r.timings().total());
        }
    }
}
