package io.harstream.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml, docker/Dockerfile and the image's entrypoint. There is no Docker engine here: the
 * compose file is validated by docker-compose's own "config" (Debian package docker-compose), the rest by
 * reading the files.
 */
class DockerComposeTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Path ROOT = Tools.ROOT;

    private static JsonNode compose() throws IOException {
        return YAML.readTree(ROOT.resolve("docker-compose.yml").toFile());
    }

    private static JsonNode service(String name) throws IOException {
        JsonNode s = compose().path("services").path(name);
        assertThat(s.isMissingNode()).as("service %s", name).isFalse();
        return s;
    }

    @Test
    void dockerComposeConfigAcceptsTheFileOnlyWithAGrafanaPassword() {
        Path dc = Tools.require("docker-compose", "docker-compose");
        // No default admin password: without one, compose refuses to start and says what to set.
        Tools.Result without = Tools.run(List.of(dc.toString(), "-f", "docker-compose.yml", "config", "-q"), ROOT,
                Map.of(), Duration.ofMinutes(2));
        assertThat(without.exitCode()).as("docker-compose config without a password\n%s", without).isNotZero();
        assertThat(without.output()).contains("set GRAFANA_ADMIN_PASSWORD");
        Tools.Result r = Tools.run(List.of(dc.toString(), "-f", "docker-compose.yml", "config", "-q"), ROOT,
                Map.of("GRAFANA_ADMIN_PASSWORD", "s3cret"), Duration.ofMinutes(2));
        assertThat(r.exitCode()).as("docker-compose config\n%s", r).isZero();
        // With every variable set, too.
        Tools.Result withEnv = Tools.run(List.of(dc.toString(), "-f", "docker-compose.yml", "config"), ROOT,
                Map.of("HARSTREAM_DATA", "synthetic", "GRAFANA_ADMIN_PASSWORD", "s3cret", "GRAFANA_PORT", "3300",
                        "HARSTREAM_SPEED", "10", "HARSTREAM_COPIES", "4", "HARSTREAM_BIND", "0.0.0.0",
                        "HARSTREAM_MODEL", "/bundle"), Duration.ofMinutes(2));
        assertThat(withEnv.exitCode()).as("docker-compose config\n%s", withEnv).isZero();
        assertThat(withEnv.output()).contains("HARSTREAM_DATA: synthetic").contains("GF_SECURITY_ADMIN_PASSWORD: s3cret")
                .contains("0.0.0.0:3300:3000").contains("- '4'").contains("- /bundle");
    }

    @Test
    void servicesAreAllThere() throws IOException {
        List<String> names = new ArrayList<>();
        compose().path("services").properties().forEach(e -> names.add(e.getKey()));
        assertThat(names).contains("kafka", "topics", "trainer", "stream-app", "simulator", "prometheus", "grafana");
        for (String name : List.of("trainer", "stream-app", "simulator")) {
            JsonNode s = service(name);
            assertThat(s.path("image").asText()).as("image of %s", name).isEqualTo("harstream:local");
            assertThat(s.path("build").path("dockerfile").asText()).as("Dockerfile of %s", name).isEqualTo("docker/Dockerfile");
            assertThat(s.path("build").path("context").asText()).isEqualTo(".");
        }
    }

    @Test
    void kafkaIsASingleKraftNodeWithAHealthcheck() throws IOException {
        JsonNode kafka = service("kafka");
        assertThat(kafka.path("image").asText()).startsWith("apache/kafka:");
        assertThat(kafka.path("environment").path("KAFKA_PROCESS_ROLES").asText()).isEqualTo("broker,controller");
        assertThat(kafka.path("environment").path("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR").asInt()).isEqualTo(1);
        assertThat(kafka.path("healthcheck").path("test").toString()).contains("kafka-broker-api-versions");
    }

    @Test
    void topicsServiceCreatesTheContractTopics() throws IOException {
        JsonNode topics = service("topics");
        assertThat(topics.path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
        String script = topics.path("command").toString();
        assertThat(script).contains("sensor-events").contains("activity-predictions").contains("sensor-events-dlq")
                .contains("--partitions").contains("--if-not-exists");
    }

    @Test
    void streamAppAndSimulatorStartAtOnceOnTheShippedModel() throws IOException {
        JsonNode app = service("stream-app");
        assertThat(app.path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
        // Nothing waits for the trainer: the image holds a real-data model to serve meanwhile.
        assertThat(app.path("depends_on").has("trainer")).isFalse();
        assertThat(service("simulator").path("depends_on").has("trainer")).isFalse();
        List<String> cmd = strings(app.path("command"));
        // The stream-app serves the models topic's active model, which the publish service puts there first.
        assertThat(cmd).startsWith("stream-app").contains("--bootstrap-servers", "--http-port").doesNotContain("--model");
        assertThat(cmd.get(cmd.indexOf("--http-port") + 1)).isEqualTo("8080");
        assertThat(app.path("depends_on").path("publish").path("condition").asText())
                .isEqualTo("service_completed_successfully");
        String shipped = "${HARSTREAM_MODEL:-/opt/harstream/models/wisdm2019}";
        List<String> publish = strings(service("publish").path("command"));
        assertThat(publish).startsWith("models", "publish").contains("-b", "kafka:9092");
        assertThat(publish.get(publish.indexOf("--model") + 1)).isEqualTo(shipped);
        assertThat(publish.get(publish.indexOf("--role") + 1)).isEqualTo("active");
        // The trainer publishes what it trains as the candidate.
        assertThat(service("trainer").path("environment").path("HARSTREAM_PUBLISH_BOOTSTRAP").asText())
                .isEqualTo("kafka:9092");
        assertThat(Files.readString(ROOT.resolve("docker/harstream-entrypoint.sh")))
                .contains("io.harstream.registry.ModelsCommand publish");
        // Ready means Kafka Streams RUNNING with the model loaded; the simulator waits for that.
        assertThat(app.path("healthcheck").path("test").toString()).contains("8080/ready");
        assertThat(service("simulator").path("depends_on").path("stream-app").path("condition").asText())
                .isEqualTo("service_healthy");
        List<String> sim = strings(service("simulator").path("command"));
        assertThat(sim.get(sim.indexOf("--test-set") + 1)).isEqualTo(shipped);
        assertThat(sim.get(sim.indexOf("--malformed-fraction") + 1)).isEqualTo("${HARSTREAM_MALFORMED_FRACTION:-0.01}");
        // The image carries the shipped model where the commands look for it.
        assertThat(Files.readString(ROOT.resolve("docker/Dockerfile"))).contains("COPY models /opt/harstream/models");
        assertThat(ROOT.resolve("models/wisdm2019/model.json")).exists();
    }

    @Test
    void kafkaMatchesTheClientsMajorVersionAndHasAHostListener() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        Matcher v = Pattern.compile("<kafka.version>(\\d+)\\.").matcher(pom);
        assertThat(v.find()).as("kafka.version in pom.xml").isTrue();
        for (String name : List.of("kafka", "topics")) {
            assertThat(service(name).path("image").asText()).as("image of %s", name)
                    .startsWith("apache/kafka:" + v.group(1) + ".");
        }
        JsonNode env = service("kafka").path("environment");
        assertThat(env.path("KAFKA_LISTENERS").asText()).contains("HOST://:29092");
        assertThat(env.path("KAFKA_ADVERTISED_LISTENERS").asText()).contains("HOST://localhost:${KAFKA_HOST_PORT:-29092}");
        assertThat(env.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText()).contains("HOST:PLAINTEXT");
        assertThat(service("kafka").path("ports").get(0).asText()).endsWith(":${KAFKA_HOST_PORT:-29092}:29092");
    }

    @Test
    void everyJvmHasAMemoryLimitItsHeapLeavesRoomIn() throws IOException {
        for (String name : List.of("trainer", "stream-app", "simulator")) {
            JsonNode s = service(name);
            assertThat(megabytes(s.path("mem_limit").asText())).as("mem_limit of %s", name).isGreaterThanOrEqualTo(512);
            // ND4J's arrays, RocksDB and metaspace live outside the heap: at most half the limit is heap.
            Matcher p = Pattern.compile("MaxRAMPercentage=(\\d+)").matcher(s.path("environment").path("JAVA_TOOL_OPTIONS").asText());
            assertThat(p.find()).as("JAVA_TOOL_OPTIONS of %s", name).isTrue();
            assertThat(Integer.parseInt(p.group(1))).as("heap share of %s", name).isLessThanOrEqualTo(50);
        }
        JsonNode kafka = service("kafka");
        Matcher xmx = Pattern.compile("-Xmx(\\d+)m").matcher(kafka.path("environment").path("KAFKA_HEAP_OPTS").asText());
        assertThat(xmx.find()).isTrue();
        assertThat(megabytes(kafka.path("mem_limit").asText())).isGreaterThan(Integer.parseInt(xmx.group(1)));
        for (String name : List.of("prometheus", "grafana")) {
            assertThat(service(name).has("mem_limit")).as("mem_limit of %s", name).isTrue();
        }
    }

    private static int megabytes(String limit) {
        Matcher m = Pattern.compile("(\\d+)([mg])").matcher(limit);
        assertThat(m.matches()).as("memory limit '%s'", limit).isTrue();
        return Integer.parseInt(m.group(1)) * (m.group(2).equals("g") ? 1024 : 1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(c -> out.add(c.asText()));
        return out;
    }

    @Test
    void trainerIsOneShotAndFindsItsData() throws IOException {
        JsonNode trainer = service("trainer");
        assertThat(trainer.path("restart").asText()).isEqualTo("no");
        assertThat(trainer.path("command").get(0).asText()).isEqualTo("auto-train");
        assertThat(trainer.path("environment").path("HARSTREAM_DATA").asText()).contains("HARSTREAM_DATA");
        assertThat(trainer.path("environment").path("WISDM_URL").asText()).contains("WISDM_ar_latest.tar.gz");
        List<String> volumes = new ArrayList<>();
        trainer.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("./data:/data:ro", "bundle:/bundle");
    }

    @Test
    void everyPublishedPortIsOnLoopbackUnlessTheUserSaysOtherwise() throws IOException {
        List<String> publishing = new ArrayList<>();
        compose().path("services").properties().forEach(e -> {
            if (e.getValue().has("ports")) {
                publishing.add(e.getKey());
                e.getValue().path("ports").forEach(p -> assertThat(p.asText()).as("port of %s", e.getKey())
                        .startsWith("${HARSTREAM_BIND:-127.0.0.1}:"));
            }
        });
        assertThat(publishing).containsExactlyInAnyOrder("grafana", "prometheus", "stream-app", "kafka");
        assertThat(service("grafana").path("ports").get(0).asText()).endsWith(":3000");
        assertThat(service("prometheus").path("ports").get(0).asText()).endsWith(":9090");
        assertThat(service("stream-app").path("ports").get(0).asText()).endsWith(":${HARSTREAM_HTTP_PORT:-8080}:8080");
    }

    @Test
    void grafanaIsAnonymousReadOnlyAndHasNoDefaultAdminPassword() throws IOException {
        JsonNode env = service("grafana").path("environment");
        assertThat(env.path("GF_AUTH_ANONYMOUS_ENABLED").asText()).isEqualTo("true");
        assertThat(env.path("GF_AUTH_ANONYMOUS_ORG_ROLE").asText()).isEqualTo("Viewer");
        assertThat(env.path("GF_SECURITY_ADMIN_PASSWORD").asText()).startsWith("${GRAFANA_ADMIN_PASSWORD:?");
        assertThat(env.path("GF_USERS_ALLOW_SIGN_UP").asText()).isEqualTo("false");
    }

    @Test
    void prometheusMountsTheRepositoryConfig() throws IOException {
        JsonNode prom = service("prometheus");
        assertThat(prom.path("volumes").get(0).asText()).isEqualTo("./prometheus:/etc/prometheus:ro");
        assertThat(prom.path("command").toString()).contains("--config.file=/etc/prometheus/prometheus.yml");
    }

    @Test
    void longRunningServicesHaveHealthchecksAndStateIsInNamedVolumes() throws IOException {
        for (String name : List.of("kafka", "stream-app", "prometheus", "grafana")) {
            assertThat(service(name).path("healthcheck").path("test").isMissingNode()).as("healthcheck of %s", name).isFalse();
        }
        List<String> volumes = new ArrayList<>();
        compose().path("volumes").properties().forEach(e -> volumes.add(e.getKey()));
        assertThat(volumes).contains("bundle", "kafka-data", "prometheus-data", "grafana-data");
    }

    // ---- the image ----------------------------------------------------------------------------------------

    @Test
    void dockerfileBuildsWithTheWrapperAndRunsAsNonRoot() throws IOException {
        String df = Files.readString(ROOT.resolve("docker/Dockerfile"));
        assertThat(df).contains("ARG JDK_IMAGE=eclipse-temurin:17-jdk").contains("ARG JRE_IMAGE=eclipse-temurin:17-jre")
                .contains("FROM ${JDK_IMAGE} AS build").contains("./mvnw").contains("-DskipTests")
                .contains("-XX:MaxRAMPercentage=75").contains("-XX:+UseContainerSupport").contains("OMP_NUM_THREADS=1")
                .contains("ENTRYPOINT [\"harstream\"]");
        // The last USER is not root.
        Matcher m = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(df);
        String user = null;
        while (m.find()) {
            user = m.group(1);
        }
        assertThat(user).isNotNull().isNotIn("root", "0");
        // Every COPY source of the build context exists.
        Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--chmod=\\S+\\s+)?(\\S+)\\s+\\S+$").matcher(df);
        while (copy.find()) {
            String src = copy.group(1);
            if (!src.equals(".")) {
                assertThat(ROOT.resolve(src)).as("COPY source").exists();
            }
        }
        assertThat(ROOT.resolve("docker/Dockerfile.dockerignore")).exists();
        assertThat(Files.readString(ROOT.resolve("docker/Dockerfile.dockerignore"))).contains("**/target").contains("data");
    }

    /**
     * The entrypoint's main classes exist in their module's sources (checked for each module present in
     * this checkout), and each module the image runs is one of the reactor's.
     */
    @Test
    void entrypointMainClassesExist() throws IOException {
        String ep = Files.readString(ROOT.resolve("docker/harstream-entrypoint.sh"));
        Matcher m = Pattern.compile("run_module (\\S+) (io\\.harstream\\.[A-Za-z0-9_.]+)").matcher(ep);
        int checked = 0;
        List<String> modules = new ArrayList<>();
        while (m.find()) {
            String module = m.group(1);
            String main = m.group(2);
            modules.add(module);
            Path moduleDir = ROOT.resolve(module);
            if (!Files.isDirectory(moduleDir.resolve("src/main/java"))) {
                continue; // not in this checkout yet
            }
            Path source = moduleDir.resolve("src/main/java/" + main.replace('.', '/') + ".java");
            assertThat(source).as("main class %s of module %s", main, module).exists();
            assertThat(Files.readString(source)).contains("public static void main(");
            checked++;
        }
        assertThat(modules).contains("trainer", "stream-app", "simulator");
        assertThat(checked).as("main classes found in this checkout").isPositive();
        assertThat(ep).contains("io.harstream.trainer.TrainCommand").contains("io.harstream.streamapp.StreamApp")
                .contains("io.harstream.simulator.SimulateCommand");
    }

    @Test
    void entrypointScriptsAreValidBash() {
        Path bash = Tools.require("bash", "bash");
        for (String script : List.of("docker/harstream-entrypoint.sh", "scripts/fetch-wisdm.sh")) {
            Tools.Result r = Tools.run(List.of(bash.toString(), "-n", script), ROOT);
            assertThat(r.exitCode()).as("bash -n %s\n%s", script, r).isZero();
            assertThat(Files.isExecutable(ROOT.resolve(script))).as("%s is executable", script).isTrue();
        }
    }

    /** auto-train's choice of data, run for real with a stand-in java that prints its arguments. */
    @Test
    void autoTrainPicksTheData(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path bash = Tools.require("bash", "bash");
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path fakeJava = bin.resolve("java");
        Files.writeString(fakeJava, "#!/usr/bin/env bash\necho \"JAVA $*\"\n");
        fakeJava.toFile().setExecutable(true);
        Path home = Files.createDirectories(tmp.resolve("opt/trainer/lib"));
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path bundle = Files.createDirectories(tmp.resolve("bundle"));
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "PATH", bin + ":" + System.getenv("PATH"),
                "HARSTREAM_HOME", home.getParent().getParent().toString(),
                "HARSTREAM_DATA_DIR", data.toString(),
                "HARSTREAM_BUNDLE_DIR", bundle.toString(),
                "HARSTREAM_CACHE_DIR", tmp.resolve("cache").toString(),
                "HARSTREAM_TRAIN_ARGS", "--epochs 3"));
        List<String> cmd = List.of(bash.toString(), "docker/harstream-entrypoint.sh", "auto-train");

        env.put("HARSTREAM_DATA", "synthetic");
        Tools.Result synthetic = Tools.run(cmd, ROOT, env, Duration.ofMinutes(1));
        assertThat(synthetic.exitCode()).as("%s", synthetic).isZero();
        assertThat(synthetic.output()).contains("io.harstream.trainer.TrainCommand --data synthetic --out " + bundle + " --epochs 3")
                .contains("trainer/lib/*");

        env.put("HARSTREAM_DATA", "auto");
        Files.writeString(data.resolve("WISDM_ar_v1.1_raw.txt"), "33,Jogging,49105962326000,-0.69,12.68,0.50;\n");
        Tools.Result mounted = Tools.run(cmd, ROOT, env, Duration.ofMinutes(1));
        assertThat(mounted.output()).contains("--data " + data.resolve("WISDM_ar_v1.1_raw.txt"));

        Files.writeString(bundle.resolve("model.json"), "{}");
        Tools.Result again = Tools.run(cmd, ROOT, env, Duration.ofMinutes(1));
        assertThat(again.exitCode()).isZero();
        assertThat(again.output()).contains("already holds a model bundle").doesNotContain("JAVA");

        Tools.Result missingModule = Tools.run(List.of(bash.toString(), "docker/harstream-entrypoint.sh", "simulate"),
                ROOT, env, Duration.ofMinutes(1));
        assertThat(missingModule.exitCode()).isEqualTo(2);
        assertThat(missingModule.output()).contains("no 'simulator' module");
    }
}
