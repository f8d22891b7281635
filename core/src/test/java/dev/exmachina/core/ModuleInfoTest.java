package dev.exmachina.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The module exports its public package and its SPI only (DESIGN 2 and 6, issue 3): the internals are never exported
 * to everyone; at most they are exported to the testkit module by a qualified export.
 */
class ModuleInfoTest {

    private static final String PUBLIC_PACKAGE = "dev.exmachina.core";
    /** What other modules implement (the group backend): exported to everyone too. */
    private static final String SPI_PACKAGE = "dev.exmachina.core.spi";
    private static final String INTERNAL_PACKAGE = "dev.exmachina.core.internal";
    /** The one module an internal package may be exported to. */
    private static final String TESTKIT = "dev.exmachina.testkit";

    private static final Pattern DIRECTIVE = Pattern.compile(
            "\\b(exports|opens)\\s+([\\w.]+)\\s*(?:\\bto\\b\\s*([\\w.\\s,]+?))?\\s*;");
    private static final Pattern MODULE = Pattern.compile("\\b(open\\s+)?module\\s+([\\w.]+)\\s*\\{");

    private static Path moduleInfo() {
        Path file = Path.of("src", "main", "java", "module-info.java"); // working directory: core/
        if (!Files.isRegularFile(file)) {
            file = Path.of("core", "src", "main", "java", "module-info.java");
        }
        assertTrue(Files.isRegularFile(file), () -> "module-info.java not found from " + Path.of("").toAbsolutePath());
        return file;
    }

    private static String source() throws IOException {
        return JavaSource.codeOnly(Files.readString(moduleInfo()));
    }

    /** Package to the modules it is exported to (empty: to everyone), for one kind of directive. */
    static Map<String, Set<String>> directives(String code, String kind) {
        Map<String, Set<String>> found = new TreeMap<>();
        Matcher m = DIRECTIVE.matcher(code);
        while (m.find()) {
            if (m.group(1).equals(kind)) {
                Set<String> targets = m.group(3) == null ? Set.of()
                        : java.util.Arrays.stream(m.group(3).split(",")).map(String::strip)
                                .collect(Collectors.toCollection(TreeSet::new));
                found.put(m.group(2), targets);
            }
        }
        return found;
    }

    @Test
    void testsThatTheModuleIsNamedAndNotOpen() throws IOException {
        Matcher m = MODULE.matcher(source());
        assertTrue(m.find(), "no module declaration");
        assertEquals("dev.exmachina.core", m.group(2));
        assertEquals(null, m.group(1), "an open module opens its internals to reflection by everyone");
    }

    @Test
    void testsThatTheOnlyUnqualifiedExportIsThePublicPackage() throws IOException {
        Map<String, Set<String>> exports = directives(source(), "exports");
        Set<String> unqualified = exports.entrySet().stream().filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        assertEquals(Set.of(PUBLIC_PACKAGE, SPI_PACKAGE), unqualified, () -> "exports: " + exports);
    }

    @Test
    void testsThatTheInternalPackageIsExportedAtMostToTestkit() throws IOException {
        Map<String, Set<String>> exports = directives(source(), "exports");
        exports.forEach((pkg, targets) -> {
            if (!pkg.equals(PUBLIC_PACKAGE) && !pkg.equals(SPI_PACKAGE)) {
                assertTrue(pkg.startsWith(INTERNAL_PACKAGE), () -> "unexpected export of " + pkg);
                assertEquals(Set.of(TESTKIT), targets, () -> pkg + " exported to " + targets);
            }
        });
        Map<String, Set<String>> opens = directives(source(), "opens");
        opens.forEach((pkg, targets) -> assertFalse(targets.isEmpty(), () -> pkg + " is opened to everyone"));
    }

    @Test
    void testsThatTheDirectiveParserTellsQualifiedFromUnqualifiedExports() {
        String sample = "module m {\n  exports a.b;\n  // exports hidden.pkg;\n  exports a.b.internal to x.y, z;\n"
                + "  opens c.d;\n}";
        Map<String, Set<String>> exports = directives(JavaSource.codeOnly(sample), "exports");
        assertEquals(Map.of("a.b", Set.of(), "a.b.internal", Set.of("x.y", "z")), exports);
        assertEquals(Map.of("c.d", Set.of()), directives(JavaSource.codeOnly(sample), "opens"));
    }

    @Test
    void testsThatTheCompiledDescriptorAgreesWithTheSource() throws IOException {
        Path compiled = Path.of("target", "classes", "module-info.class");
        assumeTrue(Files.isRegularFile(compiled), "module-info.class is not compiled here");
        ModuleDescriptor descriptor;
        try (InputStream in = Files.newInputStream(compiled)) {
            descriptor = ModuleDescriptor.read(in);
        }
        assertEquals("dev.exmachina.core", descriptor.name());
        assertFalse(descriptor.isOpen());
        List<String> unqualified = descriptor.exports().stream().filter(e -> !e.isQualified())
                .map(ModuleDescriptor.Exports::source).sorted().toList();
        assertEquals(List.of(PUBLIC_PACKAGE, SPI_PACKAGE), unqualified);
        descriptor.exports().stream().filter(ModuleDescriptor.Exports::isQualified)
                .forEach(e -> assertEquals(Set.of(TESTKIT), e.targets(), e::toString));
    }
}
