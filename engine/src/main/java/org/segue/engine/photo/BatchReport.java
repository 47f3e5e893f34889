package org.segue.engine.photo;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
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
 * the reason; last the photos in which no face was found. It holds no person names and no pixel data. Scripts read it: its field names are a format.
 */
public final class BatchReport {

    private BatchReport() {}

    static void write(Path file, BatchSummary summary) throws IOException {
        AtomicFiles.write(file, toJson(summary).getBytes(StandardCharsets.UTF_8));
    }

    /** The report's text. */
    public static String toJson(BatchSummary summary) {
        Gson json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
                // scripts read the per-photo list of the report as "reports"
                .setFieldNamingStrategy(field -> field.getName().equals("results") ? "reports" : field.getName())
                .registerTypeAdapter(PhotoResult.Status.class, (JsonSerializer<PhotoResult.Status>) (status, type, c) ->
                        new JsonPrimitive(status.name().toLowerCase(Locale.ROOT)))
                .create();
        JsonObject tree = json.toJsonTree(summary).getAsJsonObject();
        // the photos a person should look at: nothing in them was protected
        JsonArray withoutFaces = new JsonArray();
        summary.withoutFaces().forEach(r -> withoutFaces.add(r.photo()));
        tree.add("withoutFaces", withoutFaces);
        return json.toJson(tree);
    }
}
