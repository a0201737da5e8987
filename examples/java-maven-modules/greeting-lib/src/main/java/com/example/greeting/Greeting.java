package com.example.greeting;

import org.apache.commons.lang3.StringUtils;

/** The sibling library: the web app depends on it through the reactor (-pl web-app -am). */
public final class Greeting {
    private Greeting() {
    }

    public static String of(String who, String flavour) {
        return StringUtils.capitalize("hello from " + who) + " (" + flavour + ")\n";
    }
}
