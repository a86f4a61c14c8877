# Sourced by the smoke tests (installers/linux/smoke, container/smoke): a throwaway PostgreSQL
# with TLS for `verifull serve` to verify, made from the first that is there:
#   target/pg-binaries/pg-17.jar   the embedded PostgreSQL the tests use (./mvnw verify puts it there)
#   /usr/lib/postgresql/*/bin      Debian's server (apt-get install postgresql)
# A throwaway CA and a certificate for localhost (and 127.0.0.1) are made with openssl. As root
# PostgreSQL runs as the user "nobody" (it refuses root).
#
# smoke_pg_start WORK LOGS   sets pg_port, pg_ca (the CA file), upstream (127.0.0.1:port)
# smoke_pg_stop              stops it and copies its log to LOGS
# free_port                  prints a free TCP port on 127.0.0.1

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi; }

smoke_pg_start() {
  local work=$1 logs=$2 pgbin=""
  smoke_pg_work=$work smoke_pg_logs=$logs
  if [ -f target/pg-binaries/pg-17.jar ]; then
    echo "PostgreSQL: embedded binaries from target/pg-binaries/pg-17.jar"
    mkdir -p "$work/pgdist"
    if command -v unzip >/dev/null; then unzip -q -o target/pg-binaries/pg-17.jar -d "$work/pgdist"
    else (cd "$work/pgdist" && jar xf "$OLDPWD/target/pg-binaries/pg-17.jar"); fi
    tar -xJf "$work"/pgdist/postgres-*.txz -C "$work/pgdist"
    pgbin=$work/pgdist/bin
  else
    pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    [ -n "$pgbin" ] || { echo "smoke: no PostgreSQL: run ./mvnw verify once, or apt-get install postgresql" >&2; return 1; }
    echo "PostgreSQL: $pgbin"
  fi
  chmod -R a+rX "$work/pgdist" 2>/dev/null || true

  # A CA and a server certificate for localhost, valid for a day.
  mkdir -p "$work/pg/tls"
  (
    cd "$work/pg/tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
      -subj /CN=verifull-smoke-ca -keyout ca.key -out ca.pem \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
      -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 \
      -extfile ext -out server.pem 2>/dev/null
    chmod 600 server.key
  )
  if [ "$(id -u)" = 0 ]; then chown -R nobody "$work/pg"; fi
  pg_port=$(free_port)
  pg_ca=$work/pg/tls/ca.pem
  as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres --auth=trust -E UTF8 >"$logs/initdb.log" 2>&1 \
    || { cat "$logs/initdb.log"; echo "smoke: initdb failed" >&2; return 1; }
  upstream=127.0.0.1:$pg_port  # the certificate names localhost; an IP avoids ::1 vs 127.0.0.1
  pg_ctl=$pgbin/pg_ctl
  as_pg "$pg_ctl" -D "$work/pg/data" -l "$work/pg/postgres.log" -w -t 30 start -o \
    "-c port=$pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg -c ssl=on \
     -c ssl_cert_file=$work/pg/tls/server.pem -c ssl_key_file=$work/pg/tls/server.key" >/dev/null \
    || { cat "$work/pg/postgres.log"; echo "smoke: PostgreSQL did not start" >&2; return 1; }
  echo "PostgreSQL with TLS on 127.0.0.1:$pg_port"
}

smoke_pg_stop() {
  if [ -n "${pg_ctl:-}" ]; then
    as_pg "$pg_ctl" -D "$smoke_pg_work/pg/data" -m immediate stop >/dev/null 2>&1 || true
    cp "$smoke_pg_work/pg/postgres.log" "$smoke_pg_logs/" 2>/dev/null || true
    pg_ctl=""
  fi
}
