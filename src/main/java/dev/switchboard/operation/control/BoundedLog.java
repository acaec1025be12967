package dev.switchboard.operation.control;

import java.util.ArrayDeque;

/**
 * The stored output of an operation, at most {@code max} characters: the first half of the budget keeps the
 * beginning (what ran, with which versions), the second half the latest lines (where builds say why they
 * failed); what falls between is replaced by one line saying how much was left out.
 */
final class BoundedLog {

    private final int half;
    private final StringBuilder head = new StringBuilder();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private int tailChars;
    private long droppedLines;
    private long droppedChars;
    private long lines;

    BoundedLog(int maxChars) {
        this.half = Math.max(1, maxChars / 2);
    }

    /** One line, without its line break; a line longer than half the budget is cut. */
    synchronized void line(String text) {
        lines++;
        String line = text.length() > half - 1 ? text.substring(0, half - 1) : text;
        if (tail.isEmpty() && droppedLines == 0 && head.length() + line.length() + 1 <= half) {
            head.append(line).append('\n');
            return;
        }
        tail.addLast(line);
        tailChars += line.length() + 1;
        while (tailChars > half) {
            String old = tail.removeFirst();
            tailChars -= old.length() + 1;
            droppedLines++;
            droppedChars += old.length() + 1;
        }
    }

    /** How many lines came so far: a cheap "has it changed" for whoever stores it. */
    synchronized long lines() {
        return lines;
    }

    synchronized boolean truncated() {
        return droppedLines > 0;
    }

    synchronized String text() {
        StringBuilder out = new StringBuilder(head);
        if (droppedLines > 0) {
            out.append("[... ").append(droppedLines).append(" lines (").append(droppedChars)
                    .append(" characters) left out of the stored log ...]\n");
        }
        tail.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }
}
