package io.qmpd.client.shell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns qmp-shell input into QMP commands: {@code name key=value ...} with values read as
 * integers, booleans ({@code true}/{@code false} in any case) or JSON when they start with
 * {@code {} or {@code [}, else strings; dotted keys ({@code a.b=1}) build nested objects; a line
 * starting with {@code {} is sent as it is; {@code transaction(} ... {@code )} collects actions.
 * Holds the transaction state, so it is confined to the shell's thread.
 */
final class ShellCommandParser {

    /** Words: runs of non-space characters where quoted parts may hold spaces (qmp-shell's split). */
    private static final Pattern WORD = Pattern.compile("(?:[^\\s\"']|\"(?:\\\\.|[^\"])*\"|'(?:\\\\.|[^'])*')+");

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private final ObjectMapper mapper;
    private boolean transaction;
    private ArrayNode actions;

    ShellCommandParser(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    boolean inTransaction() {
        return transaction;
    }

    /** @return the command to send, or null when there is nothing to send yet (empty line, transaction action) */
    ObjectNode parse(String line) throws ShellInputException {
        String trimmed = line.strip();
        if (trimmed.startsWith("{") && !transaction) {
            try {
                JsonNode raw = mapper.readTree(trimmed);
                if (!(raw instanceof ObjectNode object)) {
                    throw new ShellInputException("Expected a JSON object, got '" + trimmed + "'");
                }
                return object;
            } catch (JsonProcessingException e) {
                throw new ShellInputException("Invalid JSON: " + describe(e));
            }
        }
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(line);
        while (m.find()) {
            words.add(m.group());
        }
        if (!words.isEmpty() && words.get(0).equals("transaction(")) {
            transaction = true;
            actions = mapper.createArrayNode();
            words.remove(0);
        }
        if (!words.isEmpty() && words.get(0).equals(")") && transaction) {
            transaction = false;
            if (words.size() > 1) {
                throw new ShellInputException("Unexpected input after close of Transaction sub-shell");
            }
            ObjectNode command = mapper.createObjectNode().put("execute", "transaction");
            command.putObject("arguments").set("actions", actions);
            return command;
        }
        if (words.isEmpty()) {
            return null;
        }
        if (transaction) {
            boolean last = words.get(words.size() - 1).equals(")");
            if (last) {
                words.remove(words.size() - 1);
            }
            ObjectNode action = actions.addObject().put("type", words.get(0));
            addArguments(words.subList(1, words.size()), action.putObject("data"));
            return last ? parse(")") : null;
        }
        ObjectNode command = mapper.createObjectNode().put("execute", words.get(0));
        addArguments(words.subList(1, words.size()), command.putObject("arguments"));
        return command;
    }

    private void addArguments(List<String> words, ObjectNode arguments) throws ShellInputException {
        for (String word : words) {
            int eq = word.indexOf('=');
            if (eq < 0) {
                throw new ShellInputException("Expected a key=value pair, got '" + word + "'");
            }
            String key = word.substring(0, eq);
            JsonNode value = value(word.substring(eq + 1));
            String[] path = key.split("\\.", -1);
            ObjectNode parent = arguments;
            StringBuilder current = new StringBuilder();
            for (int i = 0; i < path.length - 1; i++) {
                current.append(i == 0 ? "" : ".").append(path[i]);
                JsonNode child = parent.get(path[i]);
                if (child == null) {
                    child = parent.putObject(path[i]);
                } else if (!child.isObject()) {
                    throw new ShellInputException("Cannot use \"" + current + "\" as both leaf and non-leaf key");
                }
                parent = (ObjectNode) child;
            }
            String leaf = path[path.length - 1];
            if (parent.has(leaf)) {
                if (parent.get(leaf).isObject()) {
                    throw new ShellInputException("Cannot use \"" + current + "\" as both leaf and non-leaf key");
                }
                throw new ShellInputException("Cannot set \"" + key + "\" multiple times");
            }
            parent.set(leaf, value);
        }
    }

    /** Integer, then true/false, then JSON for {@code {...}} and {@code [...]}, else the text itself. */
    JsonNode value(String text) {
        if (INTEGER.matcher(text).matches()) {
            return mapper.getNodeFactory().numberNode(new BigInteger(text));
        }
        if (text.equalsIgnoreCase("true")) {
            return BooleanNode.TRUE;
        }
        if (text.equalsIgnoreCase("false")) {
            return BooleanNode.FALSE;
        }
        if (text.startsWith("{") || text.startsWith("[")) {
            try {
                return mapper.readTree(text);
            } catch (JsonProcessingException e) {
                // Not JSON: qmp-shell passes such text on as a string.
            }
        }
        return TextNode.valueOf(text);
    }

    /** The parser's complaint in a user's words: no library class names, no source dump. */
    private static String describe(JsonProcessingException e) {
        String where =
                e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
        if (e instanceof JsonEOFException) {
            return "the line ends inside a JSON value" + where;
        }
        String what = String.valueOf(e.getOriginalMessage());
        int cut = what.indexOf('\n');
        what = (cut >= 0 ? what.substring(0, cut) : what)
                .replaceAll(" ?\\(start marker at \\[Source:.*$", "")
                .replaceAll("\\(for `[^`]*`\\)", "")
                .strip();
        return what + where;
    }
}
