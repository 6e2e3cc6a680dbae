package io.qmpd.bench.side;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * A PNG bar chart of one {@link Figure}: a horizontal bar for QEMU and one for qmpd with their
 * values, and the target as a dashed line where there is one. Plain java.awt, headless.
 */
final class BarChart {

    private static final int W = 720;
    private static final int H = 260;
    private static final int LEFT = 110;
    private static final int RIGHT = 40;
    private static final Color QEMU = new Color(0x8c8c8c);
    private static final Color QMPD = new Color(0x2b6cb0);
    private static final Color TARGET = new Color(0xc53030);

    private BarChart() {}

    static void write(Figure f, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(f.name(), 16, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        String better = f.lowerIsBetter() ? "lower is better" : "higher is better";
        g.drawString(f.unit() + ", " + better + (f.hasTarget() ? "; target " + f.targetText() : ""), 16, 48);

        double target = !f.hasTarget() ? Double.NaN : f.absolute() ? f.target() : f.target() * f.qemu();
        double max = 0;
        for (double v : new double[] {f.qemu(), f.qmpd(), target}) {
            if (!Double.isNaN(v)) {
                max = Math.max(max, v);
            }
        }
        max = max <= 0 ? 1 : max * 1.15;
        double scale = (W - LEFT - RIGHT) / max;
        bar(g, "QEMU 7.2", f.qemu(), 80, QEMU, scale, f.unit());
        bar(g, "qmpd", f.qmpd(), 150, QMPD, scale, f.unit());
        g.setColor(Color.GRAY);
        g.drawLine(LEFT, 70, LEFT, 210);
        if (!Double.isNaN(target)) {
            int x = LEFT + (int) Math.round(target * scale);
            g.setColor(TARGET);
            g.setStroke(
                    new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            g.drawLine(x, 66, x, 214);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("target " + Figure.fmt(target), Math.min(x + 4, W - 110), 232);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void bar(Graphics2D g, String label, double v, int y, Color c, double scale, String unit) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        g.drawString(label, 16, y + 30);
        if (Double.isNaN(v)) {
            g.setColor(Color.GRAY);
            g.drawString("not applicable to QEMU 7.2", LEFT + 8, y + 30);
            return;
        }
        int len = Math.max(2, (int) Math.round(v * scale));
        g.setColor(c);
        g.fillRect(LEFT, y + 10, len, 32);
        g.setColor(Color.BLACK);
        String text = Figure.fmt(v) + " " + unit;
        int tw = g.getFontMetrics().stringWidth(text);
        if (LEFT + len + 6 + tw < W) {
            g.drawString(text, LEFT + len + 6, y + 31);
        } else {
            g.setColor(Color.WHITE);
            g.drawString(text, LEFT + len - tw - 6, y + 31);
        }
    }
}
