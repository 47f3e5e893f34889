package org.segue.engine.photo;

import com.google.gson.GsonBuilder;
import org.segue.engine.internal.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The JSON report of a batch: totals, then one entry per photo with its faces (upright pixel boxes
 * of the protected regions), the metadata removed, the largest sample change and, for failures,
 * the reason. It holds no person names and no pixel data.
 */
final class BatchReport {

    private BatchReport() {}

    static void write(Path file, PhotoBatch.Summary summary) throws IOException {
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(summary);
        AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
    }
}
