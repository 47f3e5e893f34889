import ij.IJ;
import ij.ImageJ;
import ij.ImagePlus;
import ij.WindowManager;

import ij.gui.ImageCanvas;
import ij.gui.Roi;

import javax.imageio.ImageIO;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.awt.Robot;
import java.awt.Window;
import java.io.File;

/**
 * Takes the screenshots of docs/fiji.md from real ImageJ windows (run under Xvfb by
 * make-screenshots.sh): the Protect Faces dialog, and a protected photo with its detection overlay.
 * Usage: java -cp <ij.jar, plugin jar, its jars> Screenshots.java PHOTO OUT_DIR
 */
public class Screenshots {

    public static void main(String[] args) throws Exception {
        String photo = args[0];
        File out = new File(args[1]);
        new ImageJ();
        Robot robot = new Robot();
        ImagePlus source = IJ.openImage(photo);
        source.show();
        IJ.wait(1500);
        // the dialog: opened on another thread, captured while it waits for the user
        Thread dialog = new Thread(() -> IJ.run("Protect Faces"));
        dialog.start();
        IJ.wait(4000);
        Window front = frontWindow("Protect Faces");
        capture(robot, front, new File(out, "protect-faces-dialog.png"));
        front.dispose();
        dialog.join(10000);
        // the result: what the OK button does, run with the same options a recorded macro holds
        WindowManager.setCurrentWindow(source.getWindow());
        IJ.run(source, "Protect Faces", "apply=[Current image] model=default person=[Jane Roe] strength=8 jpeg=95 show");
        IJ.wait(3000);
        ImagePlus result = WindowManager.getCurrentImage();
        BufferedImage shot = capture(robot, result.getWindow(), null);
        // the faces are research data that must not be copied into the repository: pixelate them
        // inside the outlines, which stay visible
        ImageCanvas canvas = result.getCanvas();
        Point window = result.getWindow().getLocationOnScreen();
        Point origin = canvas.getLocationOnScreen();
        for (Roi roi : result.getOverlay().toArray()) {
            Rectangle r = roi.getBounds();
            int x0 = origin.x - window.x + canvas.screenX(r.x) + 4;
            int y0 = origin.y - window.y + canvas.screenY(r.y) + 4;
            int x1 = origin.x - window.x + canvas.screenX(r.x + r.width) - 4;
            int y1 = origin.y - window.y + canvas.screenY(r.y + r.height) - 4;
            pixelate(shot, x0, y0, x1, y1, 48);
        }
        ImageIO.write(shot, "png", new File(out, "protected-with-overlay.png"));
        System.out.println("wrote protected-with-overlay.png (faces pixelated)");
        System.exit(0);
    }

    private static Window frontWindow(String title) {
        for (Window w : Window.getWindows()) {
            if (w.isShowing() && w instanceof java.awt.Dialog d && title.equals(d.getTitle())) {
                return w;
            }
        }
        throw new IllegalStateException("no window titled " + title);
    }

    private static BufferedImage capture(Robot robot, Window window, File file) throws Exception {
        window.toFront();
        IJ.wait(800);
        Rectangle r = new Rectangle(window.getLocationOnScreen(), window.getSize());
        BufferedImage shot = robot.createScreenCapture(r);
        if (file != null) {
            ImageIO.write(shot, "png", file);
            System.out.println("wrote " + file + " (" + r.width + "x" + r.height + ")");
        }
        return shot;
    }

    private static void pixelate(BufferedImage img, int x0, int y0, int x1, int y1, int block) {
        for (int by = Math.max(0, y0); by < Math.min(img.getHeight(), y1); by += block) {
            for (int bx = Math.max(0, x0); bx < Math.min(img.getWidth(), x1); bx += block) {
                int w = Math.min(block, Math.min(img.getWidth(), x1) - bx);
                int h = Math.min(block, Math.min(img.getHeight(), y1) - by);
                long r = 0, g = 0, b = 0;
                for (int y = by; y < by + h; y++) {
                    for (int x = bx; x < bx + w; x++) {
                        int p = img.getRGB(x, y);
                        r += (p >> 16) & 0xFF;
                        g += (p >> 8) & 0xFF;
                        b += p & 0xFF;
                    }
                }
                int n = w * h;
                int mean = (int) (r / n) << 16 | (int) (g / n) << 8 | (int) (b / n);
                for (int y = by; y < by + h; y++) {
                    for (int x = bx; x < bx + w; x++) {
                        img.setRGB(x, y, mean);
                    }
                }
            }
        }
    }
}
