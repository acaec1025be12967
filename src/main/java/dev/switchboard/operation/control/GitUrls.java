package dev.switchboard.operation.control;

import java.util.Locale;
import java.util.regex.Pattern;

/** What a repository URL is read with, and how it may be shown. */
public final class GitUrls {

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://");
    private static final Pattern USERINFO = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@");

    private GitUrls() {
    }

    /** The URL as it may be shown, logged and stored: credentials in it are replaced by {@code ***}. */
    public static String masked(String url) {
        return USERINFO.matcher(url).replaceFirst("$1***@");
    }

    /**
     * The scheme a URL is read with: its own ({@code https}, {@code ssh}, {@code file}, ...), {@code ssh} for the
     * scp form {@code user@host:path}, {@code file} for {@code file:} and for a plain path (git reads those
     * from this server's disk).
     */
    public static String scheme(String url) {
        var m = SCHEME.matcher(url);
        if (m.find()) {
            return m.group(1).toLowerCase(Locale.ROOT);
        }
        if (url.regionMatches(true, 0, "file:", 0, 5)) {
            return "file";
        }
        if (url.matches("^[^/:]+@[^/:]+:.*") || url.matches("^[A-Za-z0-9.-]{2,}:[^/].*")) {
            return "ssh";
        }
        return "file";
    }
}
