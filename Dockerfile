# One image for the bot and its workers: `docker compose up` builds it and runs it as `--mode bot` and as
# `--mode worker`. Node 24 LTS on Debian slim: glibc, so sharp's prebuilt libvips binary runs as it is.
# test/process/production-install.test.ts replays the runtime stage's COPY and RUN lines and starts its CMD.
# No `# syntax=` line: it would fetch a frontend image from Docker Hub; Docker 20.10's built-in BuildKit
# frontend reads this file as it is. Without Docker Hub, scripts/base-image.sh makes NODE_IMAGE from Debian
# and the npm registry (docs/deploying.md: Building the image without Docker Hub).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/complete-lockfile.mjs scripts/
# The lock gains the optional native binaries of every platform (sharp's), so an arm64 host builds as well.
RUN --mount=type=cache,target=/root/.npm node scripts/complete-lockfile.mjs && npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
COPY commands commands
COPY scripts scripts
COPY web web
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
# Two malloc arenas, as package.json's start and worker scripts set: glibc's default (one per thread, up to
# 8 per core) kept freed image buffers of sharp's and the stream reader's threads, tens of MB per worker.
ENV NODE_ENV=production MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/package.json /app/package-lock.json /app/.npmrc ./
# Production dependencies only: no TypeScript, tsx or test tools in the image.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist dist
# sharp loads its native binary on import: a broken install fails the build, not a person's first job.
RUN node -e "require('sharp')"
# The run folders' volume is mounted here; created now so it belongs to the unprivileged user.
RUN mkdir -p /app/runs && chown node:node /app/runs
USER node
ENV STORAGE_DIR=/app/runs HTTP_PORT=8080
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.HTTP_PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/src/app/main.js", "--mode", "all"]
