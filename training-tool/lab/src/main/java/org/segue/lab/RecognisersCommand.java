package org.segue.lab;

import com.google.gson.GsonBuilder;
import org.segue.engine.check.EnrolmentAttack;
import org.segue.engine.face.FaceEmbedder;
import org.segue.engine.face.PretrainedFaceFeatures;
import org.segue.engine.internal.AtomicFiles;
import org.segue.engine.internal.DjlRuntime;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.spi.FaceLandmarks;
import org.segue.engine.training.ImageFolder;
import org.segue.lab.recognisers.HeldOutRecognisers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "recognisers", mixinStandardHelpOptions = true,
        description = {"Pretrained face recognition against protected faces, black-box: each recogniser enrols a",
                "gallery (a dataset's training faces, clean and protected) and identifies probes (its test faces, clean",
                "and, where given, protected) by the nearest gallery face; 'alone' identifies the clean probes against",
                "a gallery where only their own person's faces are protected (one person protecting their photos among",
                "people who do not), each person in turn; k-means (k = people) clusters the gallery;",
                "the embedding shift is the mean cosine similarity of each protected face to its original. Faces are",
                "aligned from the landmarks of the product's landmark network, found on each image as the attacker has",
                "it. The held-out recognisers are TensorFlow.js graph models the product never trains against."})
final class RecognisersCommand implements Callable<Integer> {

    @Option(names = "--gallery", required = true, description = "clean enrolment faces: <person>/<images>")
    Path gallery;

    @Option(names = "--protected-gallery", required = true, description = "the same faces protected, same layout")
    Path protectedGallery;

    @Option(names = "--probes", required = true, description = "clean faces of the same people to identify")
    Path probes;

    @Option(names = "--protected-probes", description = "the probes protected (optional)")
    Path protectedProbes;

    @Option(names = "--models", description = "folder with the held-out recognisers' model files ("
            + HeldOutRecognisers.NAMES + ", from the npm package " + HeldOutRecognisers.PACKAGE + ")")
    Path models;

    @Option(names = "--recognisers", split = ",", description = "which (default: every held-out one found, and "
            + "the product's own embedder, named dlib)")
    List<String> recognisers;

    @Option(names = "--input-range", split = ",", description = "override a held-out recogniser's pixel range as "
            + "name=scale:offset (pixels in [0, 1] times scale plus offset)")
    Map<String, String> inputRange;

    @Option(names = "--load-size", defaultValue = "224", description = "faces are read at this size; default ${DEFAULT-VALUE}")
    int loadSize;

    @Option(names = "--seed", defaultValue = "0", description = "k-means seed; default ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--json", description = "write the results as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        ImageFolder cleanGallery = ImageFolder.scan(gallery);
        ImageFolder protectedGallerySet = ImageFolder.scan(protectedGallery);
        ImageFolder cleanProbes = ImageFolder.scan(probes);
        ImageFolder protectedProbeSet = protectedProbes == null ? null : ImageFolder.scan(protectedProbes);
        requireSameFaces(cleanGallery, protectedGallerySet, "--protected-gallery");
        if (protectedProbeSet != null) {
            requireSameFaces(cleanProbes, protectedProbeSet, "--protected-probes");
        }
        List<RgbImage> cg = cleanGallery.load(loadSize, loadSize);
        List<RgbImage> pg = protectedGallerySet.load(loadSize, loadSize);
        List<RgbImage> cp = cleanProbes.load(loadSize, loadSize);
        List<RgbImage> pp = protectedProbeSet == null ? cp : protectedProbeSet.load(loadSize, loadSize);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("gallery", gallery.toString());
        results.put("protectedGallery", protectedGallery.toString());
        results.put("probes", probes.toString());
        results.put("protectedProbes", protectedProbes == null ? null : protectedProbes.toString());
        try (PretrainedFaceFeatures features = PretrainedFaceFeatures.load(DjlRuntime.defaultDevice())) {
            List<FaceLandmarks> cgl = landmarks(features, cg);
            List<FaceLandmarks> pgl = landmarks(features, pg);
            List<FaceLandmarks> cpl = landmarks(features, cp);
            List<FaceLandmarks> ppl = protectedProbeSet == null ? cpl : landmarks(features, pp);
            List<String> chosen = recognisers != null ? recognisers : HeldOutRecognisers.available(models);
            System.out.printf(Locale.ROOT, "%-14s %8s %10s %10s %9s %9s %9s %6s%n", "recogniser", "rank-1", "prot.gall",
                    "prot.probe", "alone", "k-means", "prot.km", "shift");
            for (String name : chosen) {
                boolean own = name.equals("dlib");
                FaceEmbedder embedder = own ? features.embedder() : HeldOutRecognisers.open(name, models, range(name));
                try {
                    float[][] cleanProbeEmbeddings = embed(embedder, cp, cpl);
                    // without protected probes the clean ones stand in (that column is not reported): embedded once
                    float[][] protectedProbeEmbeddings = protectedProbeSet == null ? cleanProbeEmbeddings
                            : embed(embedder, pp, ppl);
                    EnrolmentAttack.Result r = EnrolmentAttack.measure(embed(embedder, cg, cgl), embed(embedder, pg, pgl),
                            cleanGallery.labels(), cleanProbeEmbeddings, protectedProbeEmbeddings,
                            cleanProbes.labels(), seed);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("heldOut", !own);
                    row.put("cleanGalleryRank1", r.cleanGalleryRank1());
                    row.put("protectedGalleryRank1", r.protectedGalleryRank1());
                    row.put("protectedProbesRank1", protectedProbeSet == null ? null : r.protectedProbesRank1());
                    row.put("protectedAloneRank1", r.protectedAloneRank1());
                    row.put("cleanClustering", r.cleanClusteringAccuracy());
                    row.put("protectedClustering", r.protectedClusteringAccuracy());
                    row.put("embeddingShift", r.meanShift());
                    results.put(name, row);
                    System.out.printf(Locale.ROOT, "%-14s %7.1f%% %9.1f%% %10s %8.1f%% %8.1f%% %8.1f%% %6.3f%n",
                            own ? "dlib (own)" : name, 100 * r.cleanGalleryRank1(), 100 * r.protectedGalleryRank1(),
                            protectedProbeSet == null ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.protectedProbesRank1()),
                            100 * r.protectedAloneRank1(), 100 * r.cleanClusteringAccuracy(), 100 * r.protectedClusteringAccuracy(), r.meanShift());
                } finally {
                    if (!own) {
                        embedder.close();
                    }
                }
            }
        }
        results.put("seconds", (System.nanoTime() - t0) / 1e9);
        if (json != null) {
            AtomicFiles.write(json, (new GsonBuilder().setPrettyPrinting().create().toJson(results) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        return 0;
    }

    private float[] range(String name) {
        String given = inputRange == null ? null : inputRange.get(name);
        if (given == null) {
            return null;
        }
        String[] parts = given.split(":");
        return new float[] {Float.parseFloat(parts[0]), Float.parseFloat(parts[1])};
    }

    private static void requireSameFaces(ImageFolder clean, ImageFolder changed, String option) {
        if (!clean.classes().equals(changed.classes()) || clean.samples().size() != changed.samples().size()) {
            throw new IllegalArgumentException(option + " must hold the same people and as many faces as its clean set");
        }
    }

    private static List<FaceLandmarks> landmarks(PretrainedFaceFeatures features, List<RgbImage> faces) {
        List<FaceLandmarks> out = new ArrayList<>(faces.size());
        for (RgbImage f : faces) {
            out.add(features.landmarksOfCrop(f));
        }
        return out;
    }

    private static float[][] embed(FaceEmbedder embedder, List<RgbImage> faces, List<FaceLandmarks> landmarks) {
        List<RgbImage> aligned = new ArrayList<>(faces.size());
        for (int i = 0; i < faces.size(); i++) {
            aligned.add(embedder.align(landmarks.get(i)).warp(faces.get(i)));
        }
        return embedder.embed(aligned);
    }
}
