# Portico's container image, built from this source tree:
#   docker build -t portico:dev .
#   minikube image build -t portico:dev .    (the chart's default image)

# --- Build stage: the project's own Maven build, without running the tests.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The whole tree at once (.dockerignore keeps out .git, target/ and the chart).
# A dependencies-only layer would need `mvn dependency:go-offline`, which fails
# on this multi-module build: router and controller depend on sibling modules
# that cannot be resolved before they are built. So a source change downloads
# the dependencies again; correct beats clever.
COPY . .
# -DskipTests still compiles the tests: the controller's test classpath needs
# router's test-jar, which -Dmaven.test.skip would not build.
# -Dspotless.check.skip=true: formatting is enforced where code is written
# (`mvn verify` and CI), not when packaging, and skipping it spares the image
# build the formatter's download. .mvn/jvm.config comes along with COPY all the
# same, so this runs exactly the build a developer runs.
RUN mvn -B -q -DskipTests -Dspotless.check.skip=true package

# --- Runtime stage: a JRE, the one shaded jar, and the JVM's ahead-of-time cache for it.
# Not the -alpine variant: Netty's epoll and BoringSSL native libraries are
# built against glibc. Java 25: the runtime every figure in docs/performance.md
# was measured on, and the first whose ahead-of-time cache keeps the JIT's
# method profiles (JEP 515), so a replica starts with them.
FROM eclipse-temurin:25-jre
# UID/GID 10001, the same numbers the Helm chart sets in runAsUser/runAsGroup.
# USER below is numeric so that Kubernetes' runAsNonRoot can verify it.
RUN groupadd --gid 10001 portico \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin portico
WORKDIR /opt/portico
# Owned by root and read-only to the portico user: the process cannot alter its own code.
COPY --from=build /src/controller/target/portico.jar /opt/portico/portico.jar
COPY examples/local /opt/portico/training
# The collector: Serial, chosen by measurement (docs/performance.md, "Choosing the runtime"). In
# the chart's 512 MiB limit it served the most requests per CPU-second of Serial, Parallel, G1,
# ZGC and Shenandoah, with the lowest p99 at saturation; Portico's live set is tens of MiB, so its
# pauses stay at a few ms. The JVM would pick Serial by itself below about 1.8 GB, and G1 above;
# this keeps Serial at any limit. Set JDK_JAVA_OPTIONS (the chart's controller.jvmOptions) to
# choose another: it replaces this line, where a collector on the java command line would clash.
ENV JDK_JAVA_OPTIONS=-XX:+UseSerialGC
# The ahead-of-time cache (JEPs 483, 514, 515): one whole start of Portico, with its warm-up,
# serving examples/local, recorded at exit: the classes it loads and links, and the profiles of
# the methods it runs. A replica started with the cache is ready sooner and its first requests
# meet compiled code sooner (docs/performance.md, "Warm start"). The JVM options that shape the
# cache (the collector, the heap's size) are the runtime's: JDK_JAVA_OPTIONS above and the
# ENTRYPOINT's below, with MaxRAM standing in for the chart's default 512 MiB limit. Parallel and
# G1 can use it too; a JVM it does not fit (ZGC: no compressed pointers) logs "Unable to use AOT
# cache" and starts without it.
RUN MALLOC_ARENA_MAX=2 java -XX:AOTCacheOutput=/opt/portico/portico.aot \
      -XX:MaxRAM=512m -XX:MaxRAMPercentage=50 -XX:InitialRAMPercentage=50 \
      -jar /opt/portico/portico.jar run --manifests /opt/portico/training --bind 127.0.0.1 \
      --http-port 18080 --https-port 18443 --admin-port 18254 --exit-when-ready \
 && rm -rf /opt/portico/training
USER 10001:10001
# HTTP, HTTPS, admin (/healthz, /readyz, /metrics, /routes).
EXPOSE 8080 8443 10254
# Exec form: java is PID 1 and receives SIGTERM itself, which starts Portico's
# --shutdown-delay and drain. On OutOfMemoryError the JVM exits so Kubernetes restarts it instead
# of it limping on. This replaces the base image's /__cacert_entrypoint.sh: Portico trusts the API
# server through its ServiceAccount's CA bundle.
# Memory: the heap takes half of the container's limit. Netty's direct buffers (socket I/O) may
# grow as large as the heap by default, so heap + direct stays within the limit with room for
# metaspace and thread stacks; 75% heap could reach 150% of the limit and get the pod killed.
# The heap starts at its full size (InitialRAMPercentage = MaxRAMPercentage). Started small, it
# stays small while the routing state is small, and so does the young generation: with a few
# MiB of eden the proxy collected every 0.5 s at 2,000 req/s and ~30 times a second under full
# load, and the slow requests at a fixed load came in bursts at those pauses (bench/RESULTS.md).
# Native memory: glibc gives each thread that allocates its own malloc arena (up to 8 per core) and
# keeps what the JIT compilers free; two arenas and a periodic trim of the C heap hand it back
# (bench/RESULTS.md, memory at 5,000 Ingresses).
ENV MALLOC_ARENA_MAX=2
ENTRYPOINT ["java", "-XX:AOTCache=/opt/portico/portico.aot", "-XX:MaxRAMPercentage=50", "-XX:InitialRAMPercentage=50", "-XX:TrimNativeHeapInterval=5000", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/portico/portico.jar"]
CMD ["run"]
