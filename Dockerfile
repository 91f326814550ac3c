# syntax=docker/dockerfile:1
# Collective Hub: one image, `node build`, migrations applied at start (under an advisory lock).
# (The syntax line counts only as the very first line.) Tested by scripts/image-test.sh.

FROM node:24-slim AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# Fixes to dependencies not yet released upstream (patch-package). The project's postinstall
# would also compile messages, which are not here yet: `vite build` does that below.
COPY patches ./patches
RUN npm ci --no-audit --no-fund --ignore-scripts && npx patch-package

FROM deps AS build
# Only what `vite build` reads: tests, docs and scripts neither enter the image nor void the cache.
COPY svelte.config.js vite.config.ts tsconfig.json ./
COPY project.inlang/settings.json ./project.inlang/settings.json
COPY messages ./messages
COPY static ./static
COPY src ./src
# Then runtime dependencies only. `npm prune --omit=dev` alone keeps the dev tools a runtime package
# names as optional peers (better-auth: vitest, vite, typescript, drizzle-kit, ~120 MB); with no
# devDependencies in package.json nothing asks for them. Type declarations, source maps and
# read-mes are never read at run time.
RUN npm run build \
    && npm pkg delete devDependencies \
    && npm prune --omit=dev --no-audit --no-fund \
    && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
        -o -iname 'readme*' -o -iname 'changelog*' \) -delete

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
COPY --chown=root:root migrations ./migrations
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
