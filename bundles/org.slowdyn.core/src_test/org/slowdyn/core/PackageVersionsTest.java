package org.slowdyn.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every exported package of this bundle has a package-info.java whose {@code @Version} is the version the manifest
 * exports, so the semantic version a third party imports is stated once, in the source, and cannot drift.
 */
class PackageVersionsTest {
    @Test
    void manifestExportsTheVersionsThePackagesDeclare() throws IOException {
        Manifest mf;
        try (var in = Files.newInputStream(Path.of("META-INF/MANIFEST.MF"))) {
            mf = new Manifest(in);
        }
        String exports = mf.getMainAttributes().getValue("Export-Package");
        Map<String, String> exported = new TreeMap<>();
        Matcher m = Pattern.compile("([\\w.]+);version=\"([\\d.]+)\"").matcher(exports);
        while (m.find()) {
            exported.put(m.group(1), m.group(2));
        }
        assertTrue(exported.size() >= 3, exports);
        for (Map.Entry<String, String> e : exported.entrySet()) {
            Path info = Path.of("src", e.getKey().replace('.', '/'), "package-info.java");
            assertTrue(Files.isRegularFile(info), info + " is missing");
            Matcher v = Pattern.compile("@Version\\(\"([\\d.]+)\"\\)").matcher(Files.readString(info));
            assertTrue(v.find(), info + " has no @Version");
            assertEquals(e.getValue(), v.group(1), e.getKey() + ": manifest and package-info disagree");
        }
    }
}
