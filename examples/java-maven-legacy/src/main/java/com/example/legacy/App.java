package com.example.legacy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** Java 8 source (no var, no records): the JDK's HTTP server, no dependencies. */
public final class App {
    private App() {
    }

    private static void handle(HttpExchange exchange) throws IOException {
        boolean root = "/".equals(exchange.getRequestURI().getPath());
        String text = root ? "Hello from java-maven-legacy on Java " + System.getProperty("java.specification.version")
                + "\n" : "not found\n";
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(root ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void main(String[] args) throws IOException {
        String env = System.getenv("PORT");
        int port = env != null && env.matches("[0-9]{1,5}") ? Integer.parseInt(env) : 8080;
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", App::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
        server.start();
        System.out.println("listening on port " + port);
    }
}
