// Restore_Folder_Tree.ijm - give back the originals of photos protected erasably with Segue.
//
// Photos protected with a key file (Protect Faces with key=..., Protect_Folder_Tree.ijm key=..., or
// 'segue protect --erasable --key FILE') carry their original face samples, encrypted under that key. With
// the same key file this macro restores every such photo under the input folder (or a single photo) into an
// output folder that mirrors the input tree. PNG, TIFF and BMP come back bit for bit; a JPEG comes back as a
// PNG (photo.jpg as photo.png) whose face regions are the original's samples. The protected photos are not
// changed. A photo that cannot be restored (no payload, another key, payload changed or cut short) is listed
// in the log with its reason and nothing is written for it; the others are restored all the same.
//
// Interactive: Plugins > Macros > Run..., then choose the folders and the key file.
// Headless:    ImageJ-linux64 --headless -macro Restore_Folder_Tree.ijm "input=/protected key=/keys/archive.key output=/restored"
//
// The key stays in its file: neither this macro nor the macro recorder ever writes it, only the file's path.

args = getArgument();
input = valueOf(args, "input", "");
key = valueOf(args, "key", "");
output = valueOf(args, "output", "");

if (input == "") input = getDirectory("Folder of erasably protected photos");
if (key == "") key = File.openDialog("The key file the photos were protected with");
if (output == "") output = getDirectory("Folder for the restored photos");

run("Restore Faces", "input=[" + input + "] key=[" + key + "] output=[" + output + "]");
print("Restored photos are in " + output + " (the log names any photo that could not be restored)");

// The value of key=value or key=[value with spaces] in an argument string, or a default.
function valueOf(text, key, fallback) {
    i = indexOf(" " + text, " " + key + "=");
    if (i < 0) return fallback;
    rest = substring(text, i + lengthOf(key) + 1);
    if (startsWith(rest, "[")) return substring(rest, 1, indexOf(rest, "]"));
    end = indexOf(rest, " ");
    if (end < 0) return rest;
    return substring(rest, 0, end);
}
