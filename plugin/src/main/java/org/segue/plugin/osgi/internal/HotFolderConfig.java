package org.segue.plugin.osgi.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The hot folder's configuration (PID org.segue.hotfolder). */
@ObjectClassDefinition(id = "org.segue.hotfolder", name = "Segue hot folder",
        description = "Photos dropped into the watched folder are protected into the output folder.")
@interface HotFolderConfig {

    @AttributeDefinition(name = "Watched folder")
    String watch_folder();

    @AttributeDefinition(name = "Output folder", description = "Protected copies (originals stay where they were dropped)")
    String output_folder();

    @AttributeDefinition(name = "Failed folder", description = "Photos that cannot be protected go here, each with a .reason.txt")
    String failed_folder();

    @AttributeDefinition(name = "Poll interval (ms)")
    long poll_millis() default 500;
}
