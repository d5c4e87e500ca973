# The Hitotsu server image that helm/hitotsu runs.
#
#   docker build -t registry.example.city.jp/hitotsu/hitotsu:0.1.0-SNAPSHOT .
#
# The first stage builds the jar from the sources (it needs Maven Central and nothing
# else); to package a jar built beforehand (mvn package), build with
# --build-arg JAR_FROM=context, which copies target/hitotsu-*.jar instead.
# Needs BuildKit (the default builder since Docker 23), which builds only the stages
# the chosen JAR_FROM uses.
# The image runs as an unprivileged user on a read-only root filesystem: it writes only
# to /tmp and /var/lib/hitotsu, which the chart mounts as emptyDir volumes.

ARG JAR_FROM=build

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src src
RUN mvn -B -q -Dmaven.test.skip=true package && cp target/hitotsu-*.jar /application.jar

FROM eclipse-temurin:17-jre AS context
COPY target/hitotsu-*.jar /application.jar

# Split the jar into layers (dependencies change less often than the application), as
# Spring Boot's jar tools lay them out.
FROM ${JAR_FROM} AS jar

FROM eclipse-temurin:17-jre AS extract
WORKDIR /extract
COPY --from=jar /application.jar application.jar
RUN java -Djarmode=tools -jar application.jar extract --layers --destination extracted

FROM eclipse-temurin:17-jre
# a numeric user, so that Kubernetes' runAsNonRoot can check it without /etc/passwd
RUN groupadd --system --gid 10001 hitotsu \
 && useradd --system --uid 10001 --gid hitotsu --home-dir /nonexistent --no-create-home \
      --shell /usr/sbin/nologin hitotsu \
 && mkdir -p /var/lib/hitotsu /etc/hitotsu/realms \
 && chown hitotsu:hitotsu /var/lib/hitotsu
WORKDIR /app
# owned by root and not writable by the server's user
COPY --from=extract /extract/extracted/dependencies/ ./
COPY --from=extract /extract/extracted/spring-boot-loader/ ./
COPY --from=extract /extract/extracted/snapshot-dependencies/ ./
COPY --from=extract /extract/extracted/application/ ./
USER 10001:10001
ENV HITOTSU_REALMS_DIR=/etc/hitotsu/realms \
    HITOTSU_DATA_DIR=/var/lib/hitotsu \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError -Djava.io.tmpdir=/tmp"
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/application.jar"]
