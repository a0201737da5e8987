package com.example.hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.apache.commons.lang3.StringUtils;

/** A plain Maven jar: the JDK's HTTP server plus one real dependency (commons-lang3). */
public final class App {
    private App() {
    }

    static String greeting() {
        return StringUtils.capitalize("hello from java-maven-plain") + " ("
                + StringUtils.abbreviate("commons-lang3 on the class path", 40) + ")\n";
    }

    private static void handle(HttpExchange exchange) throws IOException {
        boolean root = "/".equals(exchange.getRequestURI().getPath());
        byte[] body = (root ? greeting() : "not found\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(root ? 200 : 404, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    public static void main(String[] args) throws IOException {
        String env = System.getenv("PORT");
        int port = StringUtils.isNumeric(env) ? Integer.parseInt(env) : 8080;
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/", App::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
        server.start();
        System.out.println("listening on port " + port);
    }
}
