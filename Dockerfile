# syntax=docker/dockerfile:1
# The gateway's image (see docs/deployment.md). Note: written for Docker but not built or run
# here: the machine it was written on has no container daemon. The same npm steps, outside
# Docker, are run by test/package-tarball.test.ts.

# The base of the stages that install: Node 20 and a tool chain, for better-sqlite3 when no
# prebuilt binary fits (another architecture, no network to fetch it).
FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app

# Build stage: every dependency; `npm ci` builds dist/ and the widget through `prepare`.
FROM toolchain AS build
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY scripts/ scripts/
COPY src/ src/
COPY widget/ widget/
COPY schema/ schema/
RUN npm ci --no-audit --no-fund

# Production dependencies, installed beside the lock file; `prepare` builds nothing without
# TypeScript. Note: on the same image as the runtime, so the native module fits it.
FROM toolchain AS deps
COPY package.json package-lock.json ./
COPY scripts/ scripts/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# Runtime: no tool chain, no sources; the unprivileged `node` user of the base image.
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
WORKDIR /app
COPY package.json package-lock.json ./
COPY --from=deps /app/node_modules/ node_modules/
COPY --from=build /app/dist/ dist/
COPY seeds/ seeds/
COPY schema/ schema/
# Note: a SQLite file, if SQLite is used, goes in /app/data (mount a volume there).
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
