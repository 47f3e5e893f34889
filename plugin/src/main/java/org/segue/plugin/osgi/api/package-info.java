/** The OSGi service API of Segue: protect photos, retrain the protector. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package org.segue.plugin.osgi.api;
