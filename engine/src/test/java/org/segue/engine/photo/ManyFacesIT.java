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

/** A group photo of 200 real faces (WebFace10 crops in a 20 x 10 grid) is protected in one go. */
class ManyFacesIT {

    @Test
    void twoHundredFaces() throws Exception {
        Path faces = SharedData.require("datasets/webface10/train");
        List<Path> files;
        try (Stream<Path> s = Files.walk(faces)) {
            files = s.filter(Files::isRegularFile).sorted().limit(200).toList();
        }
        int cell = 112;
        BufferedImage group = new BufferedImage(20 * cell, 10 * cell, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = group.createGraphics();
        for (int i = 0; i < files.size(); i++) {
            g.drawImage(ImageIO.read(files.get(i).toFile()), (i % 20) * cell, (i / 20) * cell, cell, cell, null);
        }
        g.dispose();
        byte[] png = TestPhotos.encode(group, "png");
        {
            PhotoProtector protector = new PhotoProtector(TestEngine.defaultModel(), TestEngine.detector(),
                    ProtectionOptions.defaults());
            PhotoProtector.Analysed a = protector.analyse(png, "group.png");
            PhotoProtector.Result r = protector.protect(a, new int[a.faces().size()]);
            assertTrue(a.faces().size() >= 150, "found only " + a.faces().size() + " of 200 faces");
            assertTrue(r.maxChange() <= 8, "change " + r.maxChange());
            int[] worst = CelebaWildIT.compare(group, ImageIO.read(new ByteArrayInputStream(r.output())), a.faces());
            assertTrue(worst[0] <= 8 && worst[1] == 0, "inside " + worst[0] + ", outside " + worst[1]);
            System.out.printf("group photo: %d of 200 faces found, %.2f s%n", a.faces().size(), r.timings().total());
        }
    }
}
