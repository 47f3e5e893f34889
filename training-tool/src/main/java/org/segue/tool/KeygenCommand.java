package org.segue.tool;

import org.segue.engine.api.ErasureKey;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        header = "Creates a key for erasable protection.",
        description = {"Writes a new random 256-bit key to FILE, readable by its owner only. Photos protected with "
                + "'protect --erasable --key FILE' can be restored exactly with 'restore --key FILE'. An existing file "
                + "is never overwritten. Keep a copy of the key somewhere safe: without it no photo protected with it "
                + "can be restored; with it anyone can restore them.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:key written", "1:the key could not be written", "2:bad usage (the file exists); nothing was written"})
final class KeygenCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Where the key goes (a new file).")
    Path file;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(file)) {
            throw new CommandLine.ParameterException(spec.commandLine(), file + " exists; a key file is never "
                    + "overwritten (photos protected with that key would be lost)");
        }
        try {
            ErasureKey.generate().write(file);
        } catch (FileAlreadyExistsException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), file + " exists; a key file is never overwritten");
        }
        System.out.println("Key written to " + file + " (readable by you only). Keep a copy somewhere safe: "
                + "without it, photos protected with it cannot be restored.");
        return SegueCli.DONE;
    }
}
