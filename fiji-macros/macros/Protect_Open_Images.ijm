// Protect_Open_Images.ijm - protect the faces in every open image.
//
// For each open image a protected copy opens beside it ("<title>-protected"). An image in which no face
// is found is never called protected: by default an unchanged copy opens as "<title>-no-face" and the log
// names it (a face the detector missed is as recognisable as before: look at it). An image in which some
// faces were left as they were (outside its selection, or slices of a stack without a face) opens as
// "<title>-partly-protected". The source images are not changed. Save the copies with File > Save As.
// A selection on an image limits protection to the faces inside it; a stack is protected slice by slice.
// The summary counts apart the images protected, partly protected, without a face found, and not
// protected at all (a 32-bit image, which is not a photo, or a run stopped with Escape). An error of the
// command (e.g. a model that cannot be read) stops the macro, as ImageJ stops a macro at a command's error.
//
// Adapt: person = the name of the one person in all images (a stable code from the name; the name is
// never written), its alias (person=code:3f9a, as the macro recorder writes it), or empty to give each
// face its own code. noFace = copy, skip (nothing opens) or fail (the macro stops at the first image
// without a face). strength = low (the default: not seen, protects against nothing measured), medium, high
// (seen; holds back a recogniser trained on the photos) or 1..8 levels. Headless: pass
// "person=[Name] no-face=skip strength=high" as argument.

args = getArgument();
person = "";
if (indexOf(args, "person=[") >= 0) {
    person = substring(args, indexOf(args, "person=[") + 8, indexOf(args, "]", indexOf(args, "person=[")));
}
noFace = "copy";
if (indexOf(args, "no-face=") >= 0) {
    rest = substring(args, indexOf(args, "no-face=") + 8);
    if (indexOf(rest, " ") >= 0) rest = substring(rest, 0, indexOf(rest, " "));
    noFace = rest;
}
strength = "low";
if (indexOf(args, "strength=") >= 0) {
    rest = substring(args, indexOf(args, "strength=") + 9);
    if (indexOf(rest, " ") >= 0) rest = substring(rest, 0, indexOf(rest, " "));
    strength = rest;
}
// skip is done here: with a copy to close, "nothing opened" means the image failed, never "no face"
asked = noFace;
if (noFace == "skip") asked = "copy";
setBatchMode(true);
ids = newArray(nImages);
nProtected = 0;
nPartly = 0;
nWithout = 0;
nFailed = 0;
for (i = 0; i < nImages; i++) {
    selectImage(i + 1);
    ids[i] = getImageID();
}
for (i = 0; i < ids.length; i++) {
    selectImage(ids[i]);
    title = getTitle();
    if (bitDepth() == 32) {
        nFailed++;
        print("Not protected: " + title + " (32-bit images are not photos)");
        continue;
    }
    run("Protect Faces", "apply=[Current image] model=default person=[" + person + "] strength=" + strength + " no-face=" + asked);
    if (getImageID() == ids[i]) {
        nFailed++;
        print("Not protected: " + title + " (nothing opened: stopped; see the log above)");
    } else {
        status = Property.get("segue.status");
        if (status == "protected") {
            nProtected++;
        } else if (status == "partial") {
            nPartly++;
        } else {
            nWithout++;
            if (noFace == "skip") {
                close();
                print(title + ": no face found; its unchanged copy was closed (no-face=skip)");
            }
        }
    }
}
setBatchMode("exit and display");
print("Protect_Open_Images: " + ids.length + " open image(s): " + nProtected + " protected, " + nPartly
    + " partly protected (some faces or slices left as they were), " + nWithout + " without a face found"
    + " (nothing protected in those), " + nFailed + " not protected; see the log");
