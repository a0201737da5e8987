// Bundled by `npm run build` into ../src/main/resources/static, which Spring Boot serves from the jar.
document.getElementById("greeting").textContent = "bundled by esbuild for java-spring-frontend";
