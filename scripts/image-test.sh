#!/usr/bin/env bash
# Build the Docker image with podman and test it against PostgreSQL.
#
#   scripts/image-test.sh            (run as root: debootstrap and podman need it)
#
# No image registry is needed: the `node:24-slim` base is a stand-in made here once (Debian bookworm
# from debootstrap --variant=minbase, plus node@24 and npm@11 from the npm registry) and kept in
# podman's storage, so later runs skip that step. The project's Dockerfile is built unchanged with
# --pull=never. The image is then run against a fresh PostgreSQL database and checked: /readyz,
# a demo site's page by its Host header, a non-root process, and the Dockerfile's HEALTHCHECK
# command run inside the container (and seen to fail when nothing answers).
#
# Environment:
#   PGHOST/PGPORT/PGUSER      PostgreSQL to test against (default 127.0.0.1:5432, postgres; trust auth)
#   IMAGE_TEST_TAG            tag of the built image (default collective-hub:image-test)
#   IMAGE_TEST_REBUILD_BASE=1 make the node:24-slim stand-in again even if one is there
#   IMAGE_TEST_KEEP=0         remove the built image (and its tagged build stage) at the end; kept by
#                             default as the next run's cache
#   DEBIAN_MIRROR             mirror for debootstrap (default: debootstrap's own)
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir="$(pwd)"

# shellcheck source=use-node.sh
source scripts/use-node.sh

BASE_IMAGE="docker.io/library/node:24-slim"
# Bumped when the stand-in's recipe changes, so a cached stand-in made the old way is made again.
STANDIN_RECIPE="bookworm-minbase node@24 npm@11 r1"
TAG="${IMAGE_TEST_TAG:-collective-hub:image-test}"
WORK="$root_dir/.tools/image"
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
# crun and podman's default ulimits fail on these machines; runc with cgroupfs works.
PODMAN=(podman --runtime=runc --cgroup-manager=cgroupfs)
ULIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=4096:4096)

# ---------------------------------------------------------------------------------------------
# Steps, their durations, clean-up

t_start=$EPOCHREALTIME
timings=()
containers=()
database=""
current_step=""

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

step() {
	current_step="$1"
	shift
	echo
	echo "== $current_step"
	local t0=$EPOCHREALTIME
	"$@"
	timings+=("$(printf '%-52s %7ss' "$current_step" "$(elapsed "$t0")")")
	current_step=""
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

cleanup() {
	local rc=$?
	set +e
	if [ "$rc" -ne 0 ] && [ "${#containers[@]}" -gt 0 ]; then
		for c in "${containers[@]}"; do
			echo "--- last log lines of $c" >&2
			"${PODMAN[@]}" logs --tail 40 "$c" >&2 2>&1
		done
	fi
	for c in "${containers[@]}"; do "${PODMAN[@]}" rm -f -v "$c" >/dev/null 2>&1; done
	if [ -n "$database" ]; then psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$database\" WITH (FORCE)" >/dev/null 2>&1; fi
	if [ "${IMAGE_TEST_KEEP:-1}" = "0" ]; then "${PODMAN[@]}" rmi -f "$TAG" "$TAG-build" >/dev/null 2>&1; fi
	echo
	echo "== image test: step durations"
	for t in "${timings[@]}"; do echo "  $t"; done
	[ -n "$current_step" ] && echo "  $(printf '%-52s %8s' "$current_step" 'FAILED')"
	echo "  $(printf '%-52s %7ss' 'total' "$(elapsed "$t_start")")"
	if [ "$rc" -eq 0 ]; then echo "image test: OK"; else echo "image test: FAILED" >&2; fi
	exit "$rc"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# Tools

check_tools() {
	local missing=()
	for tool in podman runc debootstrap psql curl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
	[ "${#missing[@]}" -eq 0 ] || fail "missing tools: ${missing[*]} (apt-get install podman runc debootstrap postgresql-client curl)"
	[ "$(id -u)" -eq 0 ] || fail "run as root (debootstrap and rootful podman)"
	pg_isready -q || fail "PostgreSQL is not answering at $PGHOST:$PGPORT"
	echo "$(podman --version), runc $(runc --version | head -n 1 | awk '{print $3}'), node $(node --version) on the host"
}

# ---------------------------------------------------------------------------------------------
# The node:24-slim stand-in

standin_label() { "${PODMAN[@]}" image inspect --format '{{index .Labels "org.collective-hub.stand-in"}}' "$BASE_IMAGE" 2>/dev/null || true; }

need_standin() {
	[ "${IMAGE_TEST_REBUILD_BASE:-}" = "1" ] && return 0
	"${PODMAN[@]}" image exists "$BASE_IMAGE" || return 0
	local label
	label="$(standin_label)"
	# A real node:24-slim (no label) is used as it is.
	[ -z "$label" ] || [ "$label" = "<no value>" ] && return 1
	[ "$label" != "$STANDIN_RECIPE" ]
}

make_standin() {
	local rootfs="$WORK/rootfs" tools="$WORK/npm"
	rm -rf "$rootfs" "$tools"
	mkdir -p "$rootfs" "$tools"
	echo "debootstrap bookworm (minbase)"
	# shellcheck disable=SC2086
	debootstrap --variant=minbase bookworm "$rootfs" ${DEBIAN_MIRROR:-} >"$WORK/debootstrap.log" 2>&1 ||
		{
			tail -n 20 "$WORK/debootstrap.log" >&2
			fail "debootstrap failed"
		}
	# Like debian:bookworm-slim: no package lists, caches, docs or man pages.
	rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* \
		"$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log "$rootfs"/tmp/*

	echo "node@24 and npm@11 from the npm registry"
	npm install --prefix "$tools" --no-save --no-audit --no-fund --loglevel=error node@24 >/dev/null
	(cd "$tools" && npm pack --silent npm@11 >npm-pack.txt)
	install -m 0755 "$tools/node_modules/node/bin/node" "$rootfs/usr/local/bin/node"
	mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
	tar -xzf "$tools/$(tail -n 1 "$tools/npm-pack.txt")" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
	ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
	ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
	# This machine's CA bundle, so npm inside the build trusts what the host trusts.
	mkdir -p "$rootfs/etc/ssl/certs"
	cp "${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}" "$rootfs/etc/ssl/certs/ca-certificates.crt"

	local node_version npm_version
	node_version="$(chroot "$rootfs" /usr/local/bin/node --version)"
	npm_version="$(chroot "$rootfs" /usr/local/bin/node /usr/local/lib/node_modules/npm/bin/npm-cli.js --version)"
	echo "stand-in: Debian $(cat "$rootfs/etc/debian_version"), node $node_version, npm $npm_version"

	"${PODMAN[@]}" rmi -f "$BASE_IMAGE" >/dev/null 2>&1 || true
	tar --numeric-owner -C "$rootfs" -c . | "${PODMAN[@]}" import \
		--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change "ENV NODE_VERSION=${node_version#v}" \
		--change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
		--change "LABEL org.collective-hub.stand-in=\"$STANDIN_RECIPE\"" \
		--change 'CMD ["node"]' \
		- "$BASE_IMAGE" >/dev/null
	rm -rf "$rootfs" "$tools"
}

base_image() {
	if need_standin; then
		make_standin
	else
		local label
		label="$(standin_label)"
		case "$label" in
		"" | "<no value>") echo "using the $BASE_IMAGE that is there (not a stand-in made here)" ;;
		*) echo "using the cached stand-in ($label)" ;;
		esac
	fi
	"${PODMAN[@]}" run --rm --network=host "${ULIMITS[@]}" "$BASE_IMAGE" sh -c 'echo "base: node $(node --version), npm $(npm --version)"'
}

# ---------------------------------------------------------------------------------------------
# The project's image

build_image() {
	# --format docker keeps HEALTHCHECK (the OCI image format has no place for it). The full log goes
	# to a file; the steps are printed with the time each started, the log's end if the build fails.
	mkdir -p "$WORK"
	local log="$WORK/build.log" t0=$EPOCHREALTIME rc=0
	# The build stage is tagged too, so that pruning the previous runs' images below keeps this run's
	# layers (npm ci, vite build) as the next run's cache; the second build reuses them.
	{
		"${PODMAN[@]}" build --pull=never --network=host --format docker "${ULIMITS[@]}" --target build -t "$TAG-build" -f Dockerfile . &&
			"${PODMAN[@]}" build --pull=never --network=host --format docker "${ULIMITS[@]}" -t "$TAG" -f Dockerfile .
	} >"$log" 2>&1 &
	local pid=$!
	tail -n +1 -f --pid="$pid" "$log" 2>/dev/null | while IFS= read -r line; do
		case "$line" in
		\[*STEP* | STEP* | "Successfully tagged"*) printf '%7ss  %s\n' "$(elapsed "$t0")" "${line:0:130}" ;;
		esac
	done
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		tail -n 60 "$log" >&2
		fail "podman build failed (exit $rc; full log in .tools/image/build.log)"
	fi
	# Earlier runs' images, now untagged, would otherwise pile up on the machine.
	"${PODMAN[@]}" image prune -f >/dev/null
}

mb() { awk -v b="$1" 'BEGIN { printf "%.0f MB", b / 1000000 }'; }

image_size() {
	local size base
	size="$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$TAG")"
	base="$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$BASE_IMAGE")"
	echo "image $TAG: $(mb "$size") ($(mb $((size - base))) above the $(mb "$base") base)"
	"${PODMAN[@]}" history --format '{{.Size}}\t{{.CreatedBy}}' "$TAG" | awk -F'\t' '$1 != "0B" && $1 != "0 B" { printf "  %10s  %.110s\n", $1, $2 }' | head -n 12
}

# ---------------------------------------------------------------------------------------------
# Running it

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

make_database() {
	database="hub_image_test_$$_$(date +%s)"
	psql -X -q -d postgres -c "CREATE DATABASE \"$database\"" >/dev/null
	echo "database $database"
}

PLATFORM_DOMAIN=hub.test
SITE_HOST="bad-movies-theater.$PLATFORM_DOMAIN"

# start_container NAME PORT [extra podman run args...]
start_container() {
	local name="$1" port="$2"
	shift 2
	containers+=("$name")
	# --health-interval=disable: no systemd here to time health checks; `podman healthcheck run` still works.
	"${PODMAN[@]}" run -d --name "$name" --network=host "${ULIMITS[@]}" --health-interval=disable \
		-e PORT="$port" \
		-e DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$database" \
		-e PLATFORM_DOMAIN="$PLATFORM_DOMAIN" \
		-e AUTH_SECRET="image-test-secret-0123456789abcdef0123456789" \
		-e LOG_LEVEL=warn \
		"$@" "$TAG" > /dev/null 2> >(grep -v 'unable to get systemd connection' >&2)
}

# wait_ready PORT NAME: /readyz answers 200 within 90 s
wait_ready() {
	local port="$1" name="$2" code=""
	for _ in $(seq 1 180); do
		code="$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz" || true)"
		[ "$code" = "200" ] && break
		[ "$("${PODMAN[@]}" inspect --format '{{.State.Running}}' "$name")" = "true" ] || fail "$name exited before /readyz answered"
		sleep 0.5
	done
	[ "$code" = "200" ] || fail "/readyz answered ${code:-nothing} after 90 s"
	echo "/readyz 200"
}

# http_check PORT HOST PATH STATUS [TEXT]: the answer has STATUS (and contains TEXT)
http_check() {
	local port="$1" host="$2" path="$3" want="$4" text="${5:-}" body code
	body="$(mktemp)"
	code="$(curl -s -o "$body" -w '%{http_code}' -H "Host: $host" "http://127.0.0.1:$port$path" || true)"
	if [ "$code" != "$want" ]; then
		rm -f "$body"
		fail "GET $path (Host: $host) answered $code, expected $want"
	fi
	if [ -n "$text" ] && ! grep -qF "$text" "$body"; then
		rm -f "$body"
		fail "GET $path (Host: $host) answered $code without \"$text\""
	fi
	rm -f "$body"
	echo "GET $path (Host: $host) $code${text:+, shows \"$text\"}"
}

# The web process (ROLE=web when the image knows roles), migrations applied at start, demo seeded.
run_web() {
	web_port="$(free_port)"
	local role_args=()
	if role_supported; then role_args=(-e ROLE=web); fi
	start_container hub-image-web-$$ "$web_port" -e SEED_DEMO=true "${role_args[@]}"
	wait_ready "$web_port" hub-image-web-$$
	http_check "$web_port" "$SITE_HOST" / 200 "Bad Movies Theater"
	http_check "$web_port" "$SITE_HOST" /about 200 "Bad Movies Theater"
	http_check "$web_port" "nobody.$PLATFORM_DOMAIN" / 404
}

check_user() {
	local c=hub-image-web-$$ uid exec_uid
	# The server process (pid 1) and a command run in the container, by their real uid.
	uid="$("${PODMAN[@]}" exec "$c" node -e 'console.log(/^Uid:\s+(\d+)/m.exec(require("fs").readFileSync("/proc/1/status","utf8"))[1])')"
	exec_uid="$("${PODMAN[@]}" exec "$c" id -u)"
	[ "$uid" != "0" ] || fail "the server runs as root"
	[ "$exec_uid" != "0" ] || fail "commands in the container run as root"
	echo "server process uid $uid ($("${PODMAN[@]}" exec "$c" id -un)), exec uid $exec_uid"
	# It owns the data folder only: the app's files are not writable by it.
	"${PODMAN[@]}" exec "$c" sh -c 'touch /data/.image-test && rm /data/.image-test' || fail "the server user cannot write /data"
	if "${PODMAN[@]}" exec "$c" sh -c 'touch /app/build/.image-test' 2>/dev/null; then fail "the server user can write /app/build"; fi
	echo "/data writable, /app/build read-only for it"
}

check_healthcheck() {
	local c=hub-image-web-$$ test_json
	test_json="$("${PODMAN[@]}" image inspect --format '{{json .Config.Healthcheck.Test}}' "$TAG")"
	[ -n "$test_json" ] && [ "$test_json" != "null" ] || fail "the image has no HEALTHCHECK (built without --format docker?)"
	# The Dockerfile's command, exactly, as podman would run it: ["CMD", args...] or ["CMD-SHELL", line].
	local args=()
	mapfile -t args < <(node -e '
		const t = JSON.parse(process.argv[1]);
		const a = t[0] === "CMD-SHELL" ? ["/bin/sh", "-c", t[1]] : t.slice(1);
		for (const x of a) console.log(x);' "$test_json")
	"${PODMAN[@]}" exec "$c" "${args[@]}" || fail "the HEALTHCHECK command failed against a running server"
	echo "HEALTHCHECK command exits 0 in the running container"
	if "${PODMAN[@]}" exec -e PORT=1 "$c" "${args[@]}"; then fail "the HEALTHCHECK command passed with nothing listening"; fi
	echo "HEALTHCHECK command exits non-zero when nothing answers on PORT"
	local status
	status="$("${PODMAN[@]}" healthcheck run "$c" 2>&1)" || fail "podman healthcheck run: ${status:-unhealthy}"
	echo "podman healthcheck run: ${status:-healthy}"
}

# The pruned node_modules still has what runs natively: sharp's libvips and PGlite's WebAssembly.
check_native() {
	local c=hub-image-web-$$
	"${PODMAN[@]}" exec -w /app "$c" node --input-type=module -e '
		const sharp = (await import("sharp")).default;
		const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: "red" } }).webp().toBuffer();
		const { PGlite } = await import("@electric-sql/pglite");
		const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
		const db = new PGlite({ extensions: { pg_trgm } });
		await db.exec("CREATE EXTENSION pg_trgm");
		const { rows } = await db.query("SELECT similarity($1, $2) AS s", ["movie", "movies"]);
		await db.close();
		console.log(`sharp made a ${webp.length}-byte WebP; PGlite with pg_trgm answered ${rows[0].s.toFixed(2)}`);' ||
		fail "sharp or PGlite does not work in the image"
}

# ---------------------------------------------------------------------------------------------
# HOOK: the worker role. Runs only when the image supports ROLE=web|worker|all.
#
# Support is detected by the image's environment naming ROLE (an `ENV ROLE=…` in the Dockerfile)
# or by the env schema (src/lib/server/env.ts) parsing a ROLE variable. Until then this prints that
# the worker check is not available yet. When ROLE lands, make worker_job_ran match the queue.

role_supported() {
	"${PODMAN[@]}" image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$TAG" | grep -q '^ROLE=' && return 0
	grep -Eq '^\s*ROLE\s*:' src/lib/server/env.ts
}

# worker_job_ran: succeeds once the worker has completed a job in the test database.
# Written for pg-boss (the issue's first choice): a completed row in pgboss.job or pgboss.archive.
# If the queue differs, or no job runs on its own soon after start, change this (or enqueue one here).
worker_job_ran() {
	local sql="SELECT (CASE WHEN to_regclass('pgboss.job') IS NULL THEN 0 ELSE
		(SELECT count(*) FROM pgboss.job WHERE state = 'completed') END)"
	[ "$(psql -X -At -d "$database" -c "$sql" 2>/dev/null || echo 0)" -gt 0 ]
}

run_worker() {
	local port name=hub-image-worker-$$
	port="$(free_port)"
	start_container "$name" "$port" -e ROLE=worker
	wait_ready "$port" "$name"
	# A worker serves only /healthz and /readyz.
	http_check "$port" "$SITE_HOST" / 404
	for _ in $(seq 1 120); do
		worker_job_ran && break
		sleep 1
	done
	worker_job_ran || fail "the worker completed no job within 120 s"
	echo "the worker completed a job"
}

# ---------------------------------------------------------------------------------------------

step "tools" check_tools
step "base image $BASE_IMAGE" base_image
step "podman build" build_image
step "image size" image_size
step "fresh PostgreSQL database" make_database
step "run as web: /readyz, a site page by Host" run_web
step "non-root user" check_user
step "HEALTHCHECK command" check_healthcheck
step "sharp and PGlite in the image" check_native
if role_supported; then
	step "run as ROLE=worker: a job runs" run_worker
else
	echo
	echo "== run as ROLE=worker: the worker check is not available yet (the image has no ROLE setting)"
fi
