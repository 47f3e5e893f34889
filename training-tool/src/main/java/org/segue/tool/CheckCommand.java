package org.segue.tool;

import com.google.gson.GsonBuilder;
import org.segue.engine.api.Cancellation;
import org.segue.engine.api.CheckRequest;
import org.segue.engine.api.StrengthPreset;
import org.segue.engine.api.CheckResult;
import org.segue.engine.api.ConsoleProgress;
import org.segue.engine.api.ModelSource;
import org.segue.engine.api.Protector;
import org.segue.engine.api.Segue;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
        header = "Checks whether protection holds on your own faces.",
        description = {"FOLDER holds <person>/<face images> (a few people, ten or more faces each). A share of each "
                + "person's faces is held out; the rest are protected with the model at --strength (as protect's; default low, which "
                + "protects against nothing measured). Two attackers then try to "
                + "recognise the held-out faces:",
                "  a pretrained face recogniser (how face recognition is deployed) enrols the training faces, clean "
                + "and protected, and identifies each held-out face by its nearest enrolled face;",
                "  a network trained from scratch on the clean training faces, and one on the protected ones.",
                "Protection holds where the attackers that saw protected faces are near chance. Nothing is written.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:checked", "1:an error", "2:bad usage", "130:cancelled (Ctrl-C)"})
final class CheckCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FOLDER", description = "<person>/<face images>")
    Path folder;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5",
            description = "Epochs of the from-scratch attackers. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = "--input-size", paramLabel = "PX", defaultValue = "64",
            description = "Input size of the from-scratch attackers (at least 32). Default: ${DEFAULT-VALUE}.")
    int inputSize;

    @Option(names = "--test-fraction", paramLabel = "F", defaultValue = "0.3",
            description = "Share of each person's faces held out. Default: ${DEFAULT-VALUE}.")
    double testFraction;

    @Option(names = "--strength", paramLabel = "PRESET", description = "The strength the faces are protected at: "
            + "low, medium, high or 1..8 levels, as protect's. Default: " + StrengthPreset.DEFAULT_NAME + ".")
    String strength = StrengthPreset.DEFAULT_NAME;

    @Option(names = "--conceal-heads", description = "Check the faces with their heads also concealed, as protect's "
            + "--conceal-heads does.")
    boolean concealHeads;

    @Option(names = "--seed", defaultValue = "0", description = "The attackers' seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--model", paramLabel = "FILE", description = "Model file (.segue). Default: the model shipped "
            + "with Segue.")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu. Default: ${DEFAULT-VALUE}.")
    String device;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(folder)) {
            throw new CommandLine.ParameterException(spec.commandLine(), folder + " is not a folder");
        }
        CheckRequest request;
        try {
            request = new CheckRequest(folder, epochs, inputSize, testFraction, seed, StrengthPreset.parse(strength))
                    .withConcealedHeads(concealHeads);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Cancellation cancellation = new Cancellation();
        Thread onInterrupt = new Thread(cancellation::cancel);
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        try (Protector protector = Segue.open(model == null ? ModelSource.shipped() : ModelSource.file(model), device)) {
            CheckResult r;
            try {
                r = protector.check(request, new ConsoleProgress(System.err), cancellation);
            } catch (IllegalArgumentException e) { // too few people or faces, or a strength above the model's budget
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (json) {
                System.out.println(new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(r));
            } else {
                System.out.println("Faces protected at strength " + StrengthPreset.describe(request.strengthLevels())
                        + (request.concealHeads() ? ", heads concealed" : ""));
                print(r, System.out);
            }
            return r.cancelled() ? SegueCli.CANCELLED : SegueCli.DONE;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // already shutting down
            }
        }
    }

    static void print(CheckResult r, PrintStream out) {
        out.printf(Locale.ROOT, "%d people, %d training and %d held-out faces; chance %.1f%%%n", r.identities(),
                r.trainFaces(), r.testFaces(), 100 * r.chance());
        CheckResult.Recognition rec = r.recognition();
        if (rec != null) {
            out.printf(Locale.ROOT, "Pretrained recogniser (%s):%n", rec.recogniser());
            out.printf(Locale.ROOT, "  held-out faces identified from clean training faces:     %5.1f%%%n", 100 * rec.cleanGalleryRank1());
            out.printf(Locale.ROOT, "  held-out faces identified from protected training faces: %5.1f%%%n", 100 * rec.protectedGalleryRank1());
            out.printf(Locale.ROOT, "  protected held-out faces identified from clean ones:     %5.1f%%%n", 100 * rec.protectedProbesRank1());
            out.printf(Locale.ROOT, "  held-out faces identified, only their person protected:  %5.1f%%%n", 100 * rec.protectedAloneRank1());
            out.printf(Locale.ROOT, "  protected training faces grouped by person:              %5.1f%% (clean: %.1f%%)%n",
                    100 * rec.protectedClustering(), 100 * rec.cleanClustering());
            out.printf(Locale.ROOT, "  similarity of a protected face to its original:          %5.3f%n", rec.embeddingSimilarity());
        }
        if (r.cancelled()) {
            out.println("From-scratch attackers: cancelled");
        } else {
            out.printf(Locale.ROOT, "From-scratch attackers (ResNet18): trained on clean faces %.1f%%, on protected faces %.1f%%%n",
                    100 * r.cleanAccuracy(), 100 * r.protectedAccuracy());
        }
        out.printf(Locale.ROOT, "(%.0f s)%n", r.seconds());
    }
}
