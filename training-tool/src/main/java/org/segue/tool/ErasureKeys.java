package org.segue.tool;

import org.segue.engine.api.ErasureKey;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The key options protect and restore share: a key file or a passphrase file, read before anything is written. */
final class ErasureKeys {

    private ErasureKeys() {}

    /**
     * The key the options name, or null when neither is given.
     *
     * @throws CommandLine.ParameterException (exit 2) for both given, a missing or unreadable file, or a file that
     *                                        holds no key; the message names the file, never its content
     */
    static ErasureKey read(CommandLine cli, Path keyFile, Path passphraseFile) {
        if (keyFile != null && passphraseFile != null) {
            throw new CommandLine.ParameterException(cli, "give either --key or --passphrase-file, not both");
        }
        Path file = keyFile != null ? keyFile : passphraseFile;
        if (file == null) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            throw new CommandLine.ParameterException(cli, (keyFile != null ? "key file" : "passphrase file")
                    + " not found: " + file);
        }
        try {
            return keyFile != null ? ErasureKey.read(keyFile) : ErasureKey.readPassphrase(passphraseFile);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(cli, e.getMessage());
        }
    }
}
