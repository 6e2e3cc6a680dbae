package io.qmpd.qapi.internal;

import io.qmpd.qapi.internal.SchemaParser.Expression;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads schema files from the class path, following {@code { 'include': 'file.json' }} (paths
 * relative to the including file; each file read once), and returns the checked model.
 * Errors name the file (its base name) and line. One instance per load.
 */
public final class SchemaLoader {

    private final ClassLoader classLoader;
    private final SchemaDefinitions definitions = new SchemaDefinitions();
    private final DefinitionReader reader = new DefinitionReader(definitions);
    private final Set<String> loaded = new HashSet<>();

    public SchemaLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    /** Loads the given resources (and what they include) in order and checks them together. */
    public static SchemaModel load(ClassLoader classLoader, List<String> resources) {
        SchemaLoader loader = new SchemaLoader(classLoader);
        for (String r : resources) {
            loader.loadResource(r, null);
        }
        return loader.definitions.build();
    }

    /** Reads schema text directly (tests): {@code file} names it in errors; includes resolve on the class path. */
    public static SchemaModel loadText(ClassLoader classLoader, String file, String text) {
        SchemaLoader loader = new SchemaLoader(classLoader);
        loader.loadText(file, file, text);
        return loader.definitions.build();
    }

    private void loadResource(String resource, String includedFrom) {
        if (!loaded.add(resource)) {
            return;
        }
        String text;
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new SchemaException((includedFrom == null ? "" : includedFrom + ": ") + "can't read schema file '"
                        + resource + "'");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
        loadText(resource, baseName(resource), text);
    }

    private void loadText(String resource, String file, String text) {
        for (Expression e : new SchemaParser(file, text).parse()) {
            if (e.body().has("include")) {
                String target = e.body().get("include").asText();
                int slash = resource.lastIndexOf('/');
                loadResource(slash < 0 ? target : resource.substring(0, slash + 1) + target, e.where());
            } else if (!e.body().has("pragma")) {
                reader.read(e);
            }
        }
    }

    private static String baseName(String resource) {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }
}
