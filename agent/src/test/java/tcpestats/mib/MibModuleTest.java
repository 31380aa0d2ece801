package tcpestats.mib;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import tcpestats.support.Processes;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mib/TCP-ESTATS-MIB.txt: generated from the registry, clean for smilint, RFC 4898's facts. */
class MibModuleTest {
    private static final Path ROOT = Path.of(System.getProperty("estats.root", "..")).toAbsolutePath().normalize();
    private static final Path OURS = ROOT.resolve("mib/TCP-ESTATS-MIB.txt");
    /** The IETF modules TCP-ESTATS-MIB imports, which the project ships beside it. */
    private static final Path IMPORTS = ROOT.resolve("mib");

    @Test
    void committedModuleIsWhatTheRegistryGenerates() throws Exception {
        assertEquals(MibModuleWriter.write(), Files.readString(OURS),
                "mib/TCP-ESTATS-MIB.txt is stale; regenerate it with: bin/estats-agent mib > mib/TCP-ESTATS-MIB.txt");
    }

    @Test
    void theShippedModulesAloneNameEveryObjectAsTheRegistryDoes() throws Exception {
        // -M without "+": net-snmp's own directories (which Debian leaves without IETF modules) are not read
        List<String> command = new java.util.ArrayList<>(List.of("snmptranslate", "-M", IMPORTS.toString(),
                "-m", "TCP-ESTATS-MIB:TCP-MIB:DISMAN-EVENT-MIB:SNMPv2-MIB", "-On"));
        for (MibVariable v : Registry.all()) {
            command.add((v.name().startsWith("tcpEStats") ? "TCP-ESTATS-MIB::" : "TCP-MIB::") + v.name());
        }
        command.addAll(List.of("DISMAN-EVENT-MIB::mteHotContextName", "SNMPv2-MIB::snmpTrapOID"));
        Processes.Result r = Processes.run(command, 60);
        assertEquals("", r.stderr(), "every module resolves from mib/ alone");
        List<String> oids = r.stdout().lines().filter(l -> !l.isBlank()).toList();
        for (int i = 0; i < Registry.all().size(); i++) {
            assertEquals("." + Registry.all().get(i).oid(), oids.get(i), Registry.all().get(i).name());
        }
        assertEquals(".1.3.6.1.2.1.88.2.1.3", oids.get(Registry.all().size()));
    }

    @Test
    void smilintLevel3ReportsNothing() throws Exception {
        Processes.Result r = smi("smilint", "-l", "3", OURS.toString());
        assertEquals("", r.stdout() + r.stderr());
        assertEquals(0, r.exitCode());
    }

    @Test
    void smilintDoesReportABrokenModule(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path broken = dir.resolve("TCP-ESTATS-MIB.txt");
        Files.writeString(broken, Files.readString(OURS).replace("SYNTAX      Gauge32", "SYNTAX      Gauge33"));
        assertTrue(!smi("smilint", "-l", "3", broken.toString()).stderr().isEmpty(), "the lint check can fail");
    }

    @Test
    void namesOidsSyntaxAccessIndexesAndGroupsMatchRfc4898() throws Exception {
        Map<String, String> ours = facts(OURS);
        Map<String, String> reference = facts(MibReference.referenceDirectory().resolve("TCP-ESTATS-MIB.txt"));
        assertEquals(reference.keySet(), ours.keySet(), "the same definitions");
        for (String name : reference.keySet()) {
            assertEquals(reference.get(name), ours.get(name), name);
        }
        assertTrue(ours.size() > 170, "parsed " + ours.size() + " definitions");
    }

    private static Processes.Result smi(String tool, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(tool)));
        pb.command().addAll(List.of(args));
        pb.environment().put("SMIPATH", IMPORTS.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return new Processes.Result(p.exitValue(), out, err);
    }

    /**
     * Every definition of the module as smidump's XML describes it, without the
     * descriptions, units and revision texts (which are ours to write).
     */
    private static Map<String, String> facts(Path module) throws Exception {
        Processes.Result r = smi("smidump", "-f", "xml", module.toString());
        assertEquals(0, r.exitCode(), r.stderr());
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        // smidump names a DTD on the web: never fetch it
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        Document doc = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.stdout().getBytes(StandardCharsets.UTF_8)));
        Map<String, String> facts = new TreeMap<>();
        for (String section : List.of("typedefs", "nodes", "notifications", "groups", "compliances")) {
            NodeList sections = doc.getElementsByTagName(section);
            for (int s = 0; s < sections.getLength(); s++) {
                NodeList children = sections.item(s).getChildNodes();
                for (int i = 0; i < children.getLength(); i++) {
                    if (children.item(i) instanceof Element e) {
                        collect(e, facts);
                    }
                }
            }
        }
        return facts;
    }

    private static void collect(Element e, Map<String, String> facts) {
        if (e.hasAttribute("name")) {
            facts.put(e.getTagName() + " " + e.getAttribute("name"), canonical(e));
        }
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child && (child.getTagName().equals("row") || child.getTagName().equals("column"))) {
                collect(child, facts);
            }
        }
    }

    private static String canonical(Element e) {
        StringBuilder b = new StringBuilder("<").append(e.getTagName());
        for (String attr : List.of("name", "oid", "status", "module")) {
            if (e.hasAttribute(attr)) {
                b.append(' ').append(attr).append('=').append(e.getAttribute(attr));
            }
        }
        b.append('>');
        List<String> parts = new java.util.ArrayList<>();
        for (Node c = e.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element child) {
                String tag = child.getTagName();
                if (List.of("description", "units", "reference", "row", "column", "format").contains(tag)) {
                    continue;
                }
                parts.add(canonical(child));
            } else if (c.getNodeType() == Node.TEXT_NODE && !c.getTextContent().isBlank()) {
                parts.add(c.getTextContent().strip());
            }
        }
        if (e.getTagName().equals("members")) {
            java.util.Collections.sort(parts); // a group is a set
        }
        parts.forEach(b::append);
        return b.append("</").append(e.getTagName()).append('>').toString();
    }
}
