package org.segue.engine.metadata;

import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Removes from an XMP packet what names or shows the people in a photo: face regions with names
 * (MWG regions, Microsoft Photo people tags), IPTC "person in image", XMP thumbnails, and Google's
 * embedded original/depth images; everything else (captions, keywords, copyright, ratings) stays.
 * The XML is parsed with DTDs and external entities disabled: a photo is untrusted input.
 */
public final class XmpCleaner {

    private static final String XMP_NS = "http://ns.adobe.com/xap/1.0/";
    private static final String IPTC_EXT_NS = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/";
    private static final String XMP_NOTE_NS = "http://ns.adobe.com/xmp/note/";

    /** Whole namespaces removed, with the words the report uses for them. */
    private static final Map<String, String> REMOVED_NAMESPACES = Map.of(
            "http://www.metadataworkinggroup.com/schemas/regions/", "face regions with names (MWG)",
            "http://ns.microsoft.com/photo/1.2/t/RegionInfo#", "people tags (Microsoft Photo)",
            "http://ns.microsoft.com/photo/1.2/t/Region#", "people tags (Microsoft Photo)",
            "http://ns.adobe.com/xap/1.0/g/img/", "XMP thumbnail",
            "http://ns.google.com/photos/1.0/image/", "embedded original image (Google GImage)",
            "http://ns.google.com/photos/1.0/depthmap/", "embedded depth map (Google GDepth)",
            "http://ns.google.com/photos/1.0/camera/", "motion-photo data (Google GCamera)");

    private XmpCleaner() {}

    /**
     * The cleaned packet, or null when it cannot be parsed (callers then drop it whole, since an
     * unreadable packet cannot be shown to be harmless).
     */
    public static byte[] clean(byte[] packet, MetadataReport report) {
        Document doc;
        try {
            doc = parser().parse(new ByteArrayInputStream(packet));
        } catch (Exception e) {
            report.removed("XMP (unreadable, removed whole)");
            return null;
        }
        List<Node> doomed = new ArrayList<>();
        collect(doc.getDocumentElement(), doomed, report);
        for (Node n : doomed) {
            if (n instanceof Attr a) {
                a.getOwnerElement().removeAttributeNode(a);
            } else {
                n.getParentNode().removeChild(n);
            }
        }
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            StringWriter xml = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(xml));
            String body = xml.toString();
            if (!body.contains("<?xpacket begin")) {
                body = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>" + body + "<?xpacket end=\"w\"?>";
            }
            return body.getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            report.removed("XMP (could not be rewritten, removed whole)");
            return null;
        }
    }

    private static void collect(Element e, List<Node> doomed, MetadataReport report) {
        String why = reason(e.getNamespaceURI(), e.getLocalName());
        if (why != null) {
            report.removed(why);
            doomed.add(e);
            return;
        }
        NamedNodeMap attributes = e.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            String attrWhy = reason(a.getNamespaceURI(), a.getLocalName());
            if (attrWhy != null) {
                report.removed(attrWhy);
                doomed.add(a);
            }
        }
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                collect(child, doomed, report);
            }
        }
    }

    /** Why a property goes, or null when it stays. Namespace declarations themselves stay harmless. */
    private static String reason(String ns, String local) {
        if (ns == null || XMLConstants.XMLNS_ATTRIBUTE_NS_URI.equals(ns)) {
            return null;
        }
        String removedNamespace = REMOVED_NAMESPACES.get(ns);
        if (removedNamespace != null) {
            return removedNamespace;
        }
        if ("http://ns.microsoft.com/photo/1.2/".equals(ns) && "RegionInfo".equals(local)) {
            return "people tags (Microsoft Photo)";
        }
        if (IPTC_EXT_NS.equals(ns) && local != null && local.startsWith("PersonInImage")) {
            return "names of people in the image (IPTC)";
        }
        if (XMP_NS.equals(ns) && "Thumbnails".equals(local)) {
            return "XMP thumbnail";
        }
        if (XMP_NOTE_NS.equals(ns) && "HasExtendedXMP".equals(local)) {
            return "extended XMP (can hold depth maps and original images)";
        }
        return null;
    }

    private static DocumentBuilder parser() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        return b;
    }
}
