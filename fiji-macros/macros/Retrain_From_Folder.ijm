// Retrain_From_Folder.ijm - train your own face protector from a folder of face photos.
//
// The folder holds one subfolder per person with that person's face photos (<person>/<images>),
// e.g. photos you are allowed to use. Without names, tick pseudo labels and give the number of people.
// The model is written to the output file and Protect Faces offers it from then on.
// By default it trains with the shipped model's recipe ("shipped", codes from the person folders' names: 30 epochs,
// then a 12-epoch fine-tune against adversarially trained attackers; about 50 minutes for 1,300 faces on 2 cores);
// "recipe=cpu" is the plain CPU recipe.
//
// Headless: ImageJ-linux64 --headless -macro Retrain_From_Folder.ijm "dataset=/faces output=/models/mine.segue epochs=30"
// On a GPU host (Fiji with the CUDA natives, see docs/fiji.md) pass "recipe=paper device=gpu".

args = getArgument();
dataset = valueOf(args, "dataset", "");
output = valueOf(args, "output", "");
epochs = valueOf(args, "epochs", "30");
size = valueOf(args, "size", "112");
recipe = valueOf(args, "recipe", "shipped");
device = valueOf(args, "device", "auto");
people = valueOf(args, "pseudo", "");

if (dataset == "") dataset = getDirectory("Folder of <person>/<face images>");
if (output == "") output = File.openDialog("Model file to write (.segue)");
options = "dataset=[" + dataset + "] recipe=" + recipe + " epochs=" + epochs + " input=" + size
    + " device=" + device + " output=[" + output + "]";
if (people != "") options = options + " pseudo identities=" + people;
run("Train Face Protector", options);
if (File.exists(output)) print("Model written to " + output);
else print("No model written (cancelled or failed: see the log)");

function valueOf(text, key, fallback) {
    i = indexOf(" " + text, " " + key + "=");
    if (i < 0) return fallback;
    rest = substring(text, i + lengthOf(key) + 1);
    if (startsWith(rest, "[")) return substring(rest, 1, indexOf(rest, "]"));
    end = indexOf(rest, " ");
    if (end < 0) return rest;
    return substring(rest, 0, end);
}
