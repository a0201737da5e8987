package com.example.common;

/** The library both services could share; orders uses it (built first by -pl orders -am). */
public final class Reply {
    private Reply() {
    }

    public static String of(String service) {
        return "Hello from " + service + " (java-maven-services)\n";
    }
}
