package org.segue.lab.nn;

import org.segue.engine.generator.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reader for NumPy {@code .npz} archives of little-endian float32 / int64 arrays in C order, the
 * format PyTorch checkpoints are exchanged in here. int64 arrays are converted to float.
 */
public final class Npz {

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {}

    /** Reads every array of an archive, keyed by entry name without ".npy". */
    public static Map<String, Tensor> read(Path file) throws IOException {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                String name = entry.getName();
                if (!name.endsWith(".npy")) {
                    continue;
                }
                out.put(name.substring(0, name.length() - 4), readNpy(zip, file + ":" + name));
            }
        }
        return out;
    }

    static Tensor readNpy(InputStream in, String what) throws IOException {
        byte[] all = readAll(in);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        if (all.length < 10 || (all[0] & 0xff) != 0x93 || all[1] != 'N') {
            throw new IOException(what + " is not a .npy array");
        }
        int major = all[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int start = (major == 1 ? 10 : 12) + headerLen;
        String header = new String(all, major == 1 ? 10 : 12, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, what);
        if ("True".equals(group(ORDER, header, what))) {
            throw new IOException(what + ": Fortran-ordered arrays are not supported");
        }
        String shapeText = group(SHAPE, header, what).trim();
        long[] shape = shapeText.isEmpty() ? new long[0]
                : java.util.Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        float[] data = new float[Math.toIntExact(count)];
        buf.position(start);
        switch (descr) {
            case "<f4":
                buf.asFloatBuffer().get(data);
                break;
            case "<i8":
                for (int i = 0; i < data.length; i++) {
                    data[i] = buf.getLong(start + 8 * i);
                }
                break;
            default:
                throw new IOException(what + ": unsupported dtype " + descr);
        }
        return new Tensor(shape, data);
    }

    private static String group(Pattern p, String header, String what) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(what + ": malformed .npy header " + header);
        }
        return m.group(1);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
