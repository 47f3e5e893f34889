// Protect_Open_Images.ijm - protect the faces in every open image.
//
// For each open image a protected copy opens beside it ("<title>-protected"). An image in which no face
// is found is never called protected: by default an unchanged copy opens as "<title>-no-face" and the log
// names it (a face the detector missed is as recognisable as before: look at it). The source images are
// not changed. Save the copies with File > Save As. A selection on an image limits protection to the faces
// inside it; a stack is protected slice by slice.
//
// Adapt: person = the name of the one person in all images (a stable code from the name; the name is
// never written), its alias (person=code:3f9a, as the macro recorder writes it), or empty to give each
// face its own code. noFace = copy, skip (nothing opens) or fail (the macro stops at the first image
// without a face). Headless: pass "person=[Name] no-face=skip" as argument.

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
setBatchMode(true);
ids = newArray(nImages);
nProtected = 0;
nWithout = 0;
for (i = 0; i < nImages; i++) {
    selectImage(i + 1);
    ids[i] = getImageID();
}
for (i = 0; i < ids.length; i++) {
    selectImage(ids[i]);
    if (bitDepth() == 32) {
        print("Skipped " + getTitle() + ": 32-bit images are not photos");
        continue;
    }
    run("Protect Faces", "apply=[Current image] model=default person=[" + person + "] strength=8 no-face=" + noFace);
    if (getImageID() != ids[i] && Property.get("segue.status") == "protected") nProtected++;
    else nWithout++;
}
setBatchMode("exit and display");
print("Protected " + nProtected + " of " + ids.length + " open image(s); no face found in " + nWithout
    + " (see the log; nothing was protected in those)");
