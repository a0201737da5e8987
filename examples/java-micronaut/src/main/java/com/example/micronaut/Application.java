package com.example.micronaut;

import io.micronaut.runtime.Micronaut;

/** exec.mainClass: micronaut-parent writes it into the shaded jar's manifest. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
