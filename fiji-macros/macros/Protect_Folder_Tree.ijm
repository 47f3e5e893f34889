// Protect_Folder_Tree.ijm - protect every photo in a folder tree with Segue.
//
// Writes protected copies into an output folder that mirrors the input tree (JPEG, PNG, TIFF, BMP;
// same format as each input), with GPS, thumbnails and face-region names removed from the metadata,
// and a protection-report.json listing the faces found per photo. Originals are never changed.
//
// Interactive: Plugins > Macros > Run..., then choose the folders.
// Headless:    ImageJ-linux64 --headless -macro Protect_Folder_Tree.ijm "input=/photos output=/protected person=[Ada Lovelace]"
//
// Adapt: set person to the one person in all photos (the strongest protection: one stable code per
// person), or to its alias as the macro recorder writes it (person=code:3f9a); leave it empty to group
// look-alike faces automatically. strength: low (the default: not seen, protects against nothing measured),
// medium, high (seen as a colour cast; holds back a recogniser trained on the photos of the people the model
// learnt), or a number of levels 1..8 (of 255); docs/model-card.md has each one's figures. no-face: what becomes of a photo in
// which no face is found (copy: copied unchanged with cleaned metadata, skip: not written, fail: reported
// as failed); the log and the report list those photos, none of them is called protected.
//
// Erasable: key=/keys/archive.key (a key file made by 'segue keygen') makes protection erasable: each
// protected photo carries its original face samples, encrypted under the key, and Restore_Folder_Tree.ijm
// with the same key file gives the originals back. Keep the key file safe and apart from the photos: whoever
// holds it can undo the protection; without it the originals cannot be restored. Empty: not erasable.

args = getArgument();
input = valueOf(args, "input", "");
output = valueOf(args, "output", "");
person = valueOf(args, "person", "");
strength = valueOf(args, "strength", "low");
quality = valueOf(args, "quality", "95");
noFace = valueOf(args, "no-face", "copy");
key = valueOf(args, "key", "");

if (input == "") input = getDirectory("Folder of photos to protect");
if (output == "") output = getDirectory("Empty folder for the protected copies");

run("Protect Faces", "apply=Folder input=[" + input + "] output=[" + output + "] model=default person=[" + person
    + "] strength=" + strength + " no-face=" + noFace + " jpeg=" + quality + " key=[" + key + "]");
print("Protected copies are in " + output + " (see protection-report.json)");
if (key != "") print("Erasable: Restore_Folder_Tree.ijm with the same key file gives the originals back");

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
