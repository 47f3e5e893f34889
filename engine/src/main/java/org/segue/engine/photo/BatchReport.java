package org.segue.engine.photo;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonPrimitive;
import com.google.gson.JsonSerializer;
import org.segue.engine.api.BatchSummary;
import org.segue.engine.api.PhotoResult;
import org.segue.engine.internal.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The JSON report of a batch: totals, then one entry per photo with its faces (upright pixel boxes
 * of the protected regions), the metadata removed, the largest sample change and, for failures,
 * the reason. It holds no person names and no pixel data. Scripts read it: its field names are a format.
 */
final class BatchReport {

    private BatchReport() {}

    static void write(Path file, BatchSummary summary) throws IOException {
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                // scripts read the per-photo list of the report as "reports"
                .setFieldNamingStrategy(field -> field.getName().equals("results") ? "reports" : field.getName())
                .registerTypeAdapter(PhotoResult.Status.class, (JsonSerializer<PhotoResult.Status>) (status, type, c) ->
                        new JsonPrimitive(status.name().toLowerCase(Locale.ROOT)))
                .create().toJson(summary);
        AtomicFiles.write(file, json.getBytes(StandardCharsets.UTF_8));
    }
}
