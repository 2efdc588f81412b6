package org.coar.workbench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The workbench version, recorded in every run.json and report.json. */
public final class Version {
    private Version() {
    }

    public static String workbench() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
