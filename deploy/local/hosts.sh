# The two-centre layout of deploy/local/cluster (`up --hosts`), sourced by it: each ops centre a
# network namespace with an address of its own on a bridge of the root namespace, the PostgreSQL
# primary in Île-de-France and its streaming standby in Rennes (docs/deployment.md).
#
#   namespace ${CP_NETNS}-idf     (CP_HOSTS_NET.11, host name ${CP_NETNS}-idf)     silos 1 and 2, PostgreSQL primary
#   namespace ${CP_NETNS}-rennes  (CP_HOSTS_NET.21, host name ${CP_NETNS}-rennes)  silo 3, PostgreSQL standby
#   root namespace, bridge ${CP_NETNS}-br (CP_HOSTS_NET.1, host name ${CP_NETNS}-fleet)  agent fleet, trace viewer's OTLP, clients
#
# Each namespace has its own /etc/hosts (/etc/netns/NAME/hosts, which `ip netns exec` mounts): the
# silos listen on and advertise host names, and reach PostgreSQL with a multi-host connection string
# (Host=${CP_NETNS}-idf,${CP_NETNS}-rennes;Target Session Attributes=primary). The layout's settings are kept in
# $state/hosts.env by `up --hosts`; every later command reads them from there.

hosts_env=$state/hosts.env
centres=(idf rennes)

hosts_load() {
  # shellcheck disable=SC1090
  . "$hosts_env"
}

ns_of() { echo "$netns-$1"; }
addr_of() { case "$1" in idf) echo "$net.11" ;; rennes) echo "$net.21" ;; fleet) echo "$net.1" ;; esac; }
host_of() { echo "$netns-$1"; }
other_centre() { [ "$1" = idf ] && echo rennes || echo idf; }
centre_of_silo() { echo "${ops_centres[$(($1 - 1))]}"; }
in_ns() { local ns; ns=$(ns_of "$1"); shift; ip netns exec "$ns" "$@"; }
# The server's own folder of binaries (pg_basebackup, pg_rewind), where PATH may link pg_ctl only.
pg_tools() { dirname "$(readlink -f "$(pg_bin)/pg_ctl")"; }
pg_data_of() { echo "$state/pgdata-$1"; }
pg_run_of() { echo "$state/run-$1"; }
primary_centre() { cat "$state/pg-primary" 2>/dev/null || echo idf; }
partition_table() { echo "${netns//-/_}_partition"; }
now() { date -u +%H:%M:%S.%N | cut -c1-12; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# `up --hosts` on a fresh machine: iproute2 and nftables from Debian when they are missing.
hosts_tools() {
  [ "$(id -u)" = 0 ] || die "the two-centre layout creates network namespaces: run it as root"
  if ! command -v ip >/dev/null 2>&1 || ! command -v nft >/dev/null 2>&1; then
    echo "installing iproute2 and nftables ..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq iproute2 nftables >/dev/null \
      || die "could not install iproute2 and nftables (Debian packages)"
  fi
}

# Writes the layout's settings once; a later `up --hosts` keeps them.
hosts_init() {
  mkdir -p "$state"
  if [ ! -s "$hosts_env" ]; then
    local mode=${CP_PG_REPLICATION:-sync}
    [ "$mode" = sync ] || [ "$mode" = async ] || die "CP_PG_REPLICATION is '$mode': expected sync or async"
    printf 'netns=%s\nnet=%s\nreplication=%s\n' "${CP_NETNS:-cp}" "${CP_HOSTS_NET:-10.42.0}" "$mode" >"$hosts_env"
  fi
  hosts_load
  [ ${#netns} -le 6 ] || die "CP_NETNS '$netns' is longer than 6 characters (interface names are limited to 15)"
}

net_up() {
  local c ns br=$netns-br
  if ! ip link show "$br" >/dev/null 2>&1; then
    ip -4 route | grep -q "^$net\.0/24" && die "$net.0/24 is already routed here: choose another CP_HOSTS_NET"
    ip link add "$br" type bridge
    ip addr add "$(addr_of fleet)/24" dev "$br"
  fi
  ip link set "$br" up
  for c in "${centres[@]}"; do
    ns=$(ns_of "$c")
    if ! ip netns list | grep -qw "$ns"; then
      ip netns add "$ns"
      ip link add "$netns-$c" type veth peer name eth0 netns "$ns"
      ip link set "$netns-$c" master "$br" up
      ip -n "$ns" addr add "$(addr_of "$c")/24" dev eth0
      ip -n "$ns" link set lo up
    fi
    ip -n "$ns" link set eth0 up
    mkdir -p "/etc/netns/$ns"
    printf '127.0.0.1 localhost\n%s %s\n%s %s\n%s %s\n' \
      "$(addr_of fleet)" "$(host_of fleet)" "$(addr_of idf)" "$(host_of idf)" "$(addr_of rennes)" "$(host_of rennes)" >"/etc/netns/$ns/hosts"
  done
  echo "ops centres: $(ns_of idf) at $(addr_of idf), $(ns_of rennes) at $(addr_of rennes), bridge $br at $(addr_of fleet)"
}

net_down() {
  local c ns
  nft delete table bridge "$(partition_table)" 2>/dev/null && echo "partition rules removed"
  for c in "${centres[@]}"; do
    ns=$(ns_of "$c")
    ip netns list | grep -qw "$ns" && ip netns del "$ns" && echo "namespace $ns removed"
    rm -rf "/etc/netns/$ns"
  done
  ip link show "$netns-br" >/dev/null 2>&1 && ip link del "$netns-br" && echo "bridge $netns-br removed"
  return 0
}

# PostgreSQL's own password file (replication and pg_rewind's connections), in a folder its user owns.
pg_own_secrets() {
  local dir=$state/pg-secrets
  mkdir -p "$dir"
  (
    umask 077
    printf '*:*:*:replicator:%s\n*:*:*:postgres:%s\n' "$(cat "$secrets/replicator.password")" "$(cat "$secrets/postgres.password")" >"$dir/pgpass"
  )
  chown -R postgres "$dir"; chmod 700 "$dir"
  echo "$dir/pgpass"
}

# Starts the instance of centre C in its namespace (as a standby when its data holds standby.signal).
pg_start_in() {
  local c=$1 b data run; b=$(pg_bin); data=$(pg_data_of "$c"); run=$(pg_run_of "$c")
  mkdir -p "$run"; chown postgres "$run"
  in_ns "$c" runuser -u postgres -- "$b/pg_ctl" -D "$data" status >/dev/null 2>&1 && return 0
  in_ns "$c" runuser -u postgres -- "$b/pg_ctl" -D "$data" -w -t 120 -l "$logs/postgres-$c.log" \
    -o "-p $pg_port -c listen_addresses=$(addr_of "$c"),127.0.0.1 -k $run -c fsync=on -c cluster_name=$c" start >/dev/null \
    || die "PostgreSQL of $c did not start, see $logs/postgres-$c.log"
}

pg_running_in() { local b; b=$(pg_bin); [ -s "$(pg_data_of "$1")/PG_VERSION" ] && in_ns "$1" runuser -u postgres -- "$b/pg_ctl" -D "$(pg_data_of "$1")" status >/dev/null 2>&1; }

# Makes centre C's data a standby of the other centre's primary: standby.signal and primary_conninfo
# (application_name C: the name synchronous_standby_names waits for).
pg_standby_conf() {
  local c=$1 data; data=$(pg_data_of "$c")
  sed -i '/^primary_conninfo/d' "$data/postgresql.auto.conf"
  echo "primary_conninfo = 'host=$(host_of "$(other_centre "$c")") port=$pg_port user=replicator passfile=$state/pg-secrets/pgpass application_name=$c connect_timeout=3'" >>"$data/postgresql.auto.conf"
  runuser -u postgres -- touch "$data/standby.signal"
}

# The primary's synchronous_standby_names: the standby's name in sync mode, none in async mode or without a standby.
pg_sync_to() {
  local standby=$1 names=""
  [ "$replication" = sync ] && names=$standby
  psql_admin -qc "ALTER SYSTEM SET synchronous_standby_names = '$names'" -c "SELECT pg_reload_conf()" >/dev/null \
    || die "could not set synchronous_standby_names on $(primary_centre)"
}

# Waits until the primary streams to centre C (state streaming).
pg_wait_streaming() {
  local c=$1 i
  for i in $(seq 1 240); do
    [ "$(psql_admin -tAc "SELECT state FROM pg_stat_replication WHERE application_name = '$c'" 2>/dev/null)" = streaming ] && return 0
    sleep 0.25
  done
  die "the standby of $c does not stream from $(primary_centre) after 60 s, see $logs/postgres-$c.log"
}

pg_up_hosts() {
  local primary standby b pgpass data
  primary=$(primary_centre); standby=$(other_centre "$primary"); b=$(pg_tools)
  pg_secrets
  pgpass=$(pg_own_secrets)
  pg_init "$(pg_data_of "$primary")"
  data=$(pg_data_of "$primary")
  # In postgresql.conf (copied to the standby by pg_basebackup), not on the command line: pg_rewind's
  # single-user recovery must see wal_log_hints too, or it records it off and refuses to rewind.
  if ! grep -q '^# two-centre layout' "$data/postgresql.conf"; then
    printf '# two-centre layout
wal_log_hints = on
wal_keep_size = 1GB
max_connections = 300
' >>"$data/postgresql.conf"
  fi
  if ! grep -q "^host all all $net.0/24" "$data/pg_hba.conf"; then
    printf 'host all all %s.0/24 scram-sha-256\nhost replication replicator %s.0/24 scram-sha-256\n' "$net" "$net" >>"$data/pg_hba.conf"
  fi
  pg_start_in "$primary"
  pg_roles_and_schema
  psql_admin -q -v ON_ERROR_STOP=1 -v pw="$(cat "$secrets/replicator.password")" >/dev/null <<'SQL' || die "creating role replicator failed"
SELECT NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'replicator') AS missing \gset
\if :missing
CREATE ROLE replicator LOGIN REPLICATION;
\endif
ALTER ROLE replicator WITH LOGIN REPLICATION PASSWORD :'pw';
SQL
  if [ ! -s "$(pg_data_of "$standby")/PG_VERSION" ]; then
    rm -rf "$(pg_data_of "$standby")"
    install -d -o postgres -m 700 "$(pg_data_of "$standby")"
    in_ns "$standby" runuser -u postgres -- env PGPASSFILE="$pgpass" "$b/pg_basebackup" -h "$(host_of "$primary")" -p "$pg_port" \
      -U replicator -D "$(pg_data_of "$standby")" -X stream -c fast >"$logs/basebackup-$standby.log" 2>&1 \
      || die "pg_basebackup of $standby failed, see $logs/basebackup-$standby.log"
    pg_standby_conf "$standby"
  fi
  pg_start_in "$standby"
  pg_wait_streaming "$standby"
  pg_sync_to "$standby"
  echo "PostgreSQL: primary in $primary ($(host_of "$primary"), $(addr_of "$primary"):$pg_port), standby in $standby ($(addr_of "$standby"):$pg_port) streaming, $replication replication"
}

# Fencing: the old primary is stopped (immediate) through the out-of-band path (here `ip netns exec`,
# which reaches a centre whose link is down, as a BMC does a host) and its data marked a standby, so
# that nothing can start it as a primary again: it never accepts a write after the promotion.
pg_fence() {
  local c=$1 b; b=$(pg_bin)
  if pg_running_in "$c"; then
    in_ns "$c" runuser -u postgres -- "$b/pg_ctl" -D "$(pg_data_of "$c")" -m immediate stop >/dev/null || die "could not stop PostgreSQL of $c"
  fi
  runuser -u postgres -- touch "$(pg_data_of "$c")/standby.signal"
  echo "$c" >"$state/pg-fenced"
}

pg_promote() {
  local old new b t0; old=$(primary_centre); new=$(other_centre "$old"); b=$(pg_bin)
  pg_running_in "$new" || die "the standby of $new is not running"
  t0=$(date +%s%N)
  pg_fence "$old"
  echo "$(now) $old fenced (stopped, marked standby) after $(ms_since "$t0") ms"
  in_ns "$new" runuser -u postgres -- "$b/pg_ctl" -D "$(pg_data_of "$new")" -w promote >/dev/null || die "pg_ctl promote of $new failed, see $logs/postgres-$new.log"
  echo "$new" >"$state/pg-primary"; pg_host=$(addr_of "$new")
  until [ "$(psql_admin -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = f ]; do sleep 0.1; done
  # Alone until the old primary rejoins: waiting for a standby that is not there would stop every write.
  pg_sync_to ""
  echo "$(now) $new promoted: primary, accepting writes, $(ms_since "$t0") ms after the command"
}

# The fenced old primary rewound (pg_rewind) onto the new primary's timeline and started as its standby.
pg_rejoin() {
  local new old b t0 pgpass; new=$(primary_centre); old=$(other_centre "$new"); b=$(pg_tools)
  t0=$(date +%s%N)
  pg_running_in "$new" || die "the primary in $new is not running"
  pgpass=$(pg_own_secrets)
  if pg_running_in "$old"; then
    [ "$(in_ns "$old" psql -w -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -tAc 'SELECT pg_is_in_recovery()' 2>/dev/null)" = t ] \
      && { echo "$old already runs as a standby"; return 0; }
    pg_fence "$old"
  fi
  # pg_rewind first finishes the crash recovery of the immediate stop in single-user mode, which refuses standby.signal.
  rm -f "$(pg_data_of "$old")/standby.signal"
  in_ns "$old" runuser -u postgres -- env PGPASSFILE="$pgpass" "$b/pg_rewind" -D "$(pg_data_of "$old")" \
    --source-server="host=$(host_of "$new") port=$pg_port user=postgres dbname=postgres connect_timeout=5" >"$logs/rewind-$old.log" 2>&1 \
    || { runuser -u postgres -- touch "$(pg_data_of "$old")/standby.signal"; die "pg_rewind of $old failed, see $logs/rewind-$old.log"; }
  echo "$(now) $old rewound onto $new's timeline after $(ms_since "$t0") ms"
  pg_standby_conf "$old"
  pg_start_in "$old"
  pg_wait_streaming "$old"
  pg_sync_to "$old"
  rm -f "$state/pg-fenced"
  echo "$(now) $old streams from $new as its standby ($replication), $(ms_since "$t0") ms after the command"
}

# replication sync|async: what the primary waits for from now on (and after a rejoin). During a partition in sync
# mode the primary's commits wait for the standby it cannot reach; async lets Île-de-France write on, at the
# price of what Rennes has not received should Île-de-France then be lost (docs/deployment.md).
pg_replication_mode() {
  local mode=$1
  [ "$mode" = sync ] || [ "$mode" = async ] || die "usage: $0 replication sync|async"
  sed -i "s/^replication=.*/replication=$mode/" "$hosts_env"; replication=$mode
  if [ -s "$state/pg-fenced" ]; then pg_sync_to ""; else pg_sync_to "$(other_centre "$(primary_centre)")"; fi
  echo "$(now) $mode replication from $(primary_centre) (synchronous_standby_names '$(psql_admin -tAc 'SHOW synchronous_standby_names')')"
}

pg_status_hosts() {
  local c role
  printf '%-8s %-10s %-20s %-8s %s\n' CENTRE NAMESPACE ADDRESS STATE ROLE
  for c in "${centres[@]}"; do
    if pg_running_in "$c"; then
      role=$(psql -w -h "$(addr_of "$c")" -p "$pg_port" -U postgres -d postgres -tAc \
        "SELECT CASE WHEN pg_is_in_recovery() THEN 'standby, timeline ' || coalesce((SELECT received_tli FROM pg_stat_wal_receiver)::text, '?')
         ELSE 'primary, timeline ' || ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int END" 2>/dev/null || echo "unreachable")
      printf '%-8s %-10s %-20s %-8s %s\n' "$c" "$(ns_of "$c")" "$(addr_of "$c"):$pg_port" running "$role"
    else
      printf '%-8s %-10s %-20s %-8s %s\n' "$c" "$(ns_of "$c")" "$(addr_of "$c"):$pg_port" stopped "$([ "$(cat "$state/pg-fenced" 2>/dev/null)" = "$c" ] && echo "fenced (old primary; rejoin makes it a standby)")"
    fi
  done
  echo "replication from $(primary_centre) ($replication; synchronous_standby_names '$(psql_admin -tAc 'SHOW synchronous_standby_names' 2>/dev/null)'):"
  psql_admin -P pager=off -c "SELECT application_name AS standby, client_addr, state, sync_state, replay_lag FROM pg_stat_replication" 2>/dev/null || echo "  (primary unreachable)"
}

# cut C: C's link down (its processes keep running, cut off from everything); link-up C: back.
net_link() {
  local c=$1 state=$2
  [ "$c" = idf ] || [ "$c" = rennes ] || die "usage: $0 cut|link-up idf|rennes"
  ip -n "$(ns_of "$c")" link set eth0 "$state"
  echo "$(now) $c link $state"
}

# partition: nothing passes between the two centres (a bridge-family nft table of the root namespace); each still reaches the root namespace.
net_partition() {
  nft -f - <<NFT || die "nft refused the partition rules"
table bridge $(partition_table) {
  chain forward {
    type filter hook forward priority 0; policy accept;
    ip saddr $(addr_of idf) ip daddr $(addr_of rennes) drop
    ip saddr $(addr_of rennes) ip daddr $(addr_of idf) drop
  }
}
NFT
  echo "$(now) partition: idf and rennes cut from each other"
}

net_heal() {
  nft delete table bridge "$(partition_table)" 2>/dev/null || true
  echo "$(now) partition healed"
}
