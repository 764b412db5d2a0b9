# The compose file's Redis service in the image test: `redis:7.4-alpine` comes from Docker Hub, which these
# machines cannot reach, so Debian's redis-server on the base image scripts/base-image.sh makes. The test runs
# docker-compose.yml's own Redis command and health check in it.
ARG NODE_IMAGE
FROM ${NODE_IMAGE}
RUN apt-get update && apt-get install -y --no-install-recommends redis-server && rm -rf /var/lib/apt/lists/*
WORKDIR /data
