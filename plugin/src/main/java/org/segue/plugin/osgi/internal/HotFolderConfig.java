package org.segue.plugin.osgi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The hot folder's configuration (PID org.segue.hotfolder). */
@ObjectClassDefinition(id = "org.segue.hotfolder", name = "Segue hot folder",
        description = "Photos dropped into the watched folder (and its subfolders) are protected into the output folder.")
@interface HotFolderConfig {

    @AttributeDefinition(name = "Watched folder")
    String watch_folder();

    @AttributeDefinition(name = "Output folder", description = "Protected copies, subfolders mirrored (originals stay "
            + "where they were dropped); must not lie inside the watched folder")
    String output_folder();

    @AttributeDefinition(name = "Failed folder", description = "Photos that cannot be protected are moved here, "
            + "subfolders mirrored, each with a .reason.txt; must not lie inside the watched folder")
    String failed_folder();

    @AttributeDefinition(name = "Work folder", description = "The hot folder's state and its status file "
            + "(hotfolder-status.txt); empty: segue-work beside the watched folder")
    String work_folder() default "";

    @AttributeDefinition(name = "Poll interval (ms)")
    long poll_millis() default 500;

    @AttributeDefinition(name = "Quiet period (ms)", description = "A file is taken once its size and modification "
            + "time have not changed for this long, and only if it then decodes completely")
    long quiet_millis() default 3000;

    @AttributeDefinition(name = "Photos without a face", description = "skip (nothing written), copy (a copy with "
            + "cleaned metadata, NOT protected) or fail (moved to the failed folder); empty: as the face protector's "
            + "no.face. Skip or fail here hold where the protector would copy; copy needs the protector's copy too")
    String no_face() default "";

    @AttributeDefinition(name = "Give up on unfinished files after (s)", description = "A file whose content ends "
            + "before its structure does stays pending while it may still be written; after this long unchanged it "
            + "is moved to the failed folder. 0: wait for ever")
    long give_up_seconds() default 3600;
}
