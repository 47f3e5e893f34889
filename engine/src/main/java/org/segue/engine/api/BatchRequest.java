package org.segue.engine.api;

import java.nio.file.Path;
import java.util.List;

/**
 * Which photos to protect and where the results go, built with {@link #into(Path, Path...)} (a
 * mirrored output folder), {@link #inPlace(Path...)} or {@link #dryRun(Path...)}.
 *
 * @param inputs       photo files and folders (folders are walked; links are followed, loops skipped)
 * @param outputFolder where protected copies go, mirroring the input tree; null in place and in a dry run
 * @param inPlace      replace each original with its protected version (atomically)
 * @param dryRun       detect faces only; write nothing but overlays and the report
 * @param overlayFolder where to write an upright JPEG of each photo with its face regions drawn; null: none
 * @param reportFile   where to write the JSON report; null: none
 * @param groupRegistry where automatic grouping keeps its groups across batches, so a person keeps one code from
 *                     batch to batch; null: none (each batch's codes are its own). Opt-in: the file holds biometric
 *                     templates (each group's mean face embedding), encrypted with the key
 */
public record BatchRequest(List<Path> inputs, Path outputFolder, boolean inPlace, boolean dryRun, Path overlayFolder,
                           Path reportFile, GroupRegistryFile groupRegistry) {

    /**
     * An encrypted file of the groups automatic grouping found in earlier batches (AES-256-GCM under the key; written
     * owner-only and atomically, only after a batch that grouped faces).
     */
    public record GroupRegistryFile(Path file, ErasureKey key) {
        public GroupRegistryFile {
            if (file == null || key == null) {
                throw new IllegalArgumentException("a group registry needs a file and a key");
            }
        }
    }

    /** A request without a group registry. */
    public BatchRequest(List<Path> inputs, Path outputFolder, boolean inPlace, boolean dryRun, Path overlayFolder,
                        Path reportFile) {
        this(inputs, outputFolder, inPlace, dryRun, overlayFolder, reportFile, null);
    }

    public BatchRequest {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("no photos or folders given");
        }
        if (inPlace && dryRun) {
            throw new IllegalArgumentException("a dry run writes no photos: it cannot also be in place");
        }
        if (!inPlace && !dryRun && outputFolder == null) {
            throw new IllegalArgumentException("an output folder is needed unless protecting in place or a dry run");
        }
    }

    /** Protected copies into {@code outputFolder}, mirroring the inputs; a report in it. */
    public static BatchRequest into(Path outputFolder, Path... inputs) {
        return into(outputFolder, List.of(inputs));
    }

    public static BatchRequest into(Path outputFolder, List<Path> inputs) {
        return new BatchRequest(inputs, outputFolder, false, false, null,
                outputFolder == null ? null : outputFolder.resolve(REPORT_NAME));
    }

    /** Each original replaced by its protected version; no report unless asked. */
    public static BatchRequest inPlace(List<Path> inputs) {
        return new BatchRequest(inputs, null, true, false, null, null);
    }

    public static BatchRequest inPlace(Path... inputs) {
        return inPlace(List.of(inputs));
    }

    /** Detection only. */
    public static BatchRequest dryRun(List<Path> inputs) {
        return new BatchRequest(inputs, null, false, true, null, null);
    }

    public static BatchRequest dryRun(Path... inputs) {
        return dryRun(List.of(inputs));
    }

    /** The report's name in the output folder. */
    public static final String REPORT_NAME = "protection-report.json";

    public BatchRequest withOverlays(Path folder) {
        return new BatchRequest(inputs, outputFolder, inPlace, dryRun, folder, reportFile, groupRegistry);
    }

    public BatchRequest withReport(Path file) {
        return new BatchRequest(inputs, outputFolder, inPlace, dryRun, overlayFolder, file, groupRegistry);
    }

    /** This request keeping automatic grouping's groups in {@code file} across batches (see {@link #groupRegistry}). */
    public BatchRequest withGroupRegistry(Path file, ErasureKey key) {
        return new BatchRequest(inputs, outputFolder, inPlace, dryRun, overlayFolder, reportFile,
                new GroupRegistryFile(file, key));
    }
}
