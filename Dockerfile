# Collective Hub: one image, `node build`, migrations applied at start (under an advisory lock).
# syntax=docker/dockerfile:1

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# postinstall applies these (patch-package): fixes to dependencies not yet released upstream.
COPY patches ./patches
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:24-slim AS runtime
# V8 sizes the young generation from the machine's memory (up to 3 x 64 MB on big hosts); a
# small one halves the idle footprint with no measurable cost to throughput (scripts/bench.ts).
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data \
    RUN_MIGRATIONS=true \
    BODY_SIZE_LIMIT=16M \
    NODE_OPTIONS=--max-semi-space-size=16
WORKDIR /app
# Non-root user owning only the data folder.
RUN groupadd --system hub && useradd --system --gid hub --home /app hub \
    && mkdir -p /data && chown hub:hub /data
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/build ./build
COPY --from=build --chown=root:root /app/migrations ./migrations
USER hub
VOLUME ["/data"]
EXPOSE 3000
# /readyz: healthy means "send traffic here" (database reachable, migrations applied, not draining);
# it answers within a second either way. Proxies that route by container health (Traefik in
# Coolify) then skip a replica that cannot serve. Liveness (restart the process?) is /healthz: a
# database outage must not restart replicas that still serve their cached pages.
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "build"]
