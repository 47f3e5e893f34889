package org.segue.engine.face;

import ai.djl.Device;
import org.segue.engine.internal.RgbImage;
import org.segue.engine.sideinfo.FeatureExtractor;
import org.segue.engine.spi.FaceLandmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * A pretrained face recogniser's view of faces: finds the five landmarks, aligns the face to the embedder's
 * crop and embeds it. Works on face crops (a dataset's faces, whose whole image is the face box) and on faces
 * of a photo whose landmarks are known. It is what groups faces into people, makes pseudo labels and plays
 * the pretrained attacker in a protection check. Thread-safe; embeddings are biometric templates and stay in
 * memory.
 */
public final class PretrainedFaceFeatures implements FeatureExtractor, AutoCloseable {

    /** The name of these features (what a group registry records its templates were made with). */
    public static final String NAME = "dlib ResNet face embedder (face-api 1.7.15), aligned on five landmarks";

    /** Faces embedded per forward pass: larger batches gain little on a CPU and cost memory. */
    private static final int BATCH = 16;

    private final FaceLandmarkNet landmarkNet;
    private final FaceEmbedder embedder;

    private PretrainedFaceFeatures(FaceLandmarkNet landmarkNet, FaceEmbedder embedder) {
        this.landmarkNet = landmarkNet;
        this.embedder = embedder;
    }

    /** Loads the shipped landmark network and embedder onto the device. */
    public static PretrainedFaceFeatures load(Device device) {
        FaceLandmarkNet landmarks = FaceLandmarkNet.load(device);
        try {
            return new PretrainedFaceFeatures(landmarks, FaceRecognitionNet.load(device));
        } catch (RuntimeException e) {
            landmarks.close();
            throw e;
        }
    }

    /**
     * A loader that loads the networks on first use, once, for hosts that may never group a face: the embedder
     * costs half a second to load. {@link Lazy#close} frees them if they were loaded.
     */
    public static final class Lazy implements java.util.function.Supplier<PretrainedFaceFeatures>, AutoCloseable {
        private final Device device;
        private PretrainedFaceFeatures loaded;
        private boolean closed;

        public Lazy(Device device) {
            this.device = device;
        }

        @Override
        public synchronized PretrainedFaceFeatures get() {
            if (closed) {
                throw new IllegalStateException("the face embedder was closed");
            }
            if (loaded == null) {
                loaded = load(device);
            }
            return loaded;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (loaded != null) {
                loaded.close();
                loaded = null;
            }
        }
    }

    /** The embedder (its crop framing and dimension). */
    public FaceEmbedder embedder() {
        return embedder;
    }

    /** The five landmarks of the face that fills {@code crop} (the crop is taken as the face's box). */
    public FaceLandmarks landmarksOfCrop(RgbImage crop) {
        float[] chw = crop.chw();
        float[] scaled = new float[chw.length];
        for (int i = 0; i < chw.length; i++) {
            scaled[i] = chw[i] * 255f; // the landmark network reads 0..255
        }
        return FaceLandmarkNet.fivePoints(landmarkNet.landmarks(scaled, crop.height(), crop.width()));
    }

    /** The embedder's aligned crop of the face that fills {@code crop}. */
    public RgbImage alignCrop(RgbImage crop) {
        return embedder.align(landmarksOfCrop(crop)).warp(crop);
    }

    @Override
    public float[] embed(RgbImage face) {
        return embedAll(List.of(face))[0];
    }

    /** Embeddings of face crops (each image is one face's box), in order. */
    @Override
    public float[][] embedAll(List<RgbImage> faces) {
        List<RgbImage> aligned = new ArrayList<>(faces.size());
        for (RgbImage face : faces) {
            aligned.add(alignCrop(face));
        }
        return embedAligned(aligned);
    }

    /** Embeddings of crops already aligned to {@link FaceEmbedder#framing()}, in order. */
    public float[][] embedAligned(List<RgbImage> aligned) {
        float[][] out = new float[aligned.size()][];
        for (int from = 0; from < aligned.size(); from += BATCH) {
            int to = Math.min(aligned.size(), from + BATCH);
            float[][] part = embedder.embed(aligned.subList(from, to));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void close() {
        try {
            embedder.close();
        } finally {
            landmarkNet.close();
        }
    }
}
