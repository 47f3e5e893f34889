// Protect_Open_Images.ijm - protect the faces in every open image.
//
// For each open image a protected copy opens beside it ("<title>-protected"), with the protected face
// regions outlined in its overlay (remove the overlay before saving, or it is drawn into the pixels).
// The source images are not changed. Save the copies with File > Save As.
//
// Adapt: person = the name of the one person in all images (a stable code from the name; the name is
// never written), or empty to give each face its own code. Headless: pass "person=[Name]" as argument.

args = getArgument();
person = "";
if (indexOf(args, "person=[") >= 0) {
    person = substring(args, indexOf(args, "person=[") + 8, indexOf(args, "]", indexOf(args, "person=[")));
}
setBatchMode(true);
ids = newArray(nImages);
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
    run("Protect Faces", "apply=[Current image] model=default person=[" + person + "] strength=8 jpeg=95 show");
}
setBatchMode("exit and display");
print("Protected " + ids.length + " open image(s)");
