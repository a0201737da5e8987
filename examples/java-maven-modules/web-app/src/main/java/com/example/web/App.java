package com.example.web;

import com.example.greeting.Greeting;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Executors;

/** The application module: the JDK's HTTP server answering with the sibling library's greeting. */
public final class App {
    private App() {
    }

    private static String flavour() throws IOException {
        Properties props = new Properties();
        try (InputStream in = App.class.getResourceAsStream("/build.properties")) {
            props.load(in);
        }
        return props.getProperty("flavour", "unknown build");
    }

    private static void handle(HttpExchange exchange, String text) throws IOException {
        boolean root = "/".equals(exchange.getRequestURI().getPath());
        byte[] body = (root ? text : "not found\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(root ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void main(String[] args) throws IOException {
        String text = Greeting.of("java-maven-modules", flavour());
        HttpServer server = HttpServer.create(new InetSocketAddress(8080), 0);
        server.createContext("/", exchange -> handle(exchange, text));
        server.setExecutor(Executors.newFixedThreadPool(4));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
        server.start();
        System.out.println("listening on port 8080");
    }
}
