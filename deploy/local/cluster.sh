#!/usr/bin/env bash
# The local Kubernetes control plane: build | up | down | reset | status | env | bin
#
#   build   build (or reuse from the cache) etcd, kube-apiserver, kube-controller-manager,
#           kube-scheduler, kubectl and kwok; see k8s-build.sh.
#   up      build, then start etcd, kube-apiserver, kube-controller-manager (the real Job
#           controller and garbage collector), kube-scheduler and kwok on 127.0.0.1, create
#           JOBSET_K8S_NODES fake nodes (default 1) and wait until the cluster is usable.
#           Harmless when already up. Keeps etcd data across down/up (use reset to wipe it).
#   down    stop every component by PID (kwok, scheduler, controller-manager, apiserver, etcd).
#   reset   down, then delete the state (PKI, etcd data, logs).
#   status  exit 0 and say so when every component runs and /readyz is ok.
#   env     print `export KUBECONFIG=...` and the PATH line for the matching kubectl.
#   bin     print the directory of the binaries.
#
# Settings (env): JOBSET_K8S_PORT_BASE (16400: apiserver +43, controller-manager +57,
# scheduler +59, etcd +79/+80), JOBSET_K8S_NODES (1), JOBSET_STATE_DIR (<repo>/.state),
# K8S_VERSION / ETCD_VERSION / KWOK_VERSION (see k8s-build.sh), JOBSET_KCM_QPS / JOBSET_KCM_BURST
# (100 / 200: the controller-manager's client rate limit; its default 20 / 30 lets the Job
# controller create only ~8 pods/s, so a 5,000-Job JobSet spent half an hour waiting on it).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
state="${JOBSET_STATE_DIR:-$repo/.state}/cluster"
base="${JOBSET_K8S_PORT_BASE:-16400}"
nodes="${JOBSET_K8S_NODES:-1}"
api_port=$((base + 43)); kcm_port=$((base + 57)); sched_port=$((base + 59))
etcd_port=$((base + 79)); etcd_peer_port=$((base + 80))
kubeconfig="$state/kubeconfig"
components=(etcd kube-apiserver kube-controller-manager kube-scheduler kwok)

log() { printf '[cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

bin_dir() { echo "$(bash "$here/k8s-build.sh")/bin"; }

pid_of() { cat "$state/pids/$1" 2>/dev/null || true; }
alive() { local p; p=$(pid_of "$1"); [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; }

kc() { "$BIN/kubectl" --kubeconfig "$kubeconfig" "$@"; }

readyz() { kc get --raw /readyz >/dev/null 2>&1; }

all_alive() { for c in "${components[@]}"; do alive "$c" || return 1; done; }

# --- PKI --------------------------------------------------------------------------------------
make_pki() {
  local p="$state/pki"
  [[ -f "$p/.complete" ]] && return 0
  log "generating certificates"
  rm -rf "$p"; mkdir -p "$p"
  (
    cd "$p"
    openssl genrsa -out ca.key 2048 2>/dev/null
    openssl req -x509 -new -nodes -key ca.key -subj "/CN=jobset-temporal-local-ca" -days 3650 -out ca.crt 2>/dev/null
    sign() { # name subject extensions
      openssl genrsa -out "$1.key" 2048 2>/dev/null
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr" 2>/dev/null
      printf '%s\n' "$3" > "$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    }
    sign apiserver "/CN=kube-apiserver" \
      "subjectAltName=IP:127.0.0.1,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth"
    sign admin "/O=system:masters/CN=jobset-admin" "extendedKeyUsage=clientAuth"
    openssl genrsa -out sa.key 2048 2>/dev/null
    openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    touch .complete
  )
  cat > "$kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: local
  cluster:
    server: https://127.0.0.1:$api_port
    certificate-authority: $p/ca.crt
users:
- name: admin
  user:
    client-certificate: $p/admin.crt
    client-key: $p/admin.key
contexts:
- name: local
  context: {cluster: local, user: admin}
current-context: local
EOF
}

start() { # name args...
  local name=$1; shift
  mkdir -p "$state/pids" "$state/logs"
  # setsid: components outlive the shell that started them; they are stopped by PID.
  setsid "$BIN/$name" "$@" >"$state/logs/$name.log" 2>&1 </dev/null &
  echo $! > "$state/pids/$name"
}

wait_for() { # description seconds command...
  local what=$1 secs=$2; shift 2
  local deadline=$((SECONDS + secs))
  until "$@"; do
    if ((SECONDS >= deadline)); then log "timed out waiting for $what; logs in $state/logs"; exit 1; fi
    sleep 0.2
  done
}

healthz() { curl -skf "https://127.0.0.1:$1/healthz" >/dev/null; }
default_sa() { kc get serviceaccount default -n default >/dev/null 2>&1; }
nodes_ready() {
  local ready
  ready=$(kc get nodes -l type=kwok -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' 2>/dev/null | grep -c True || true)
  [[ "$ready" -ge "$nodes" ]]
}

create_nodes() {
  local i manifest=""
  for ((i = 0; i < nodes; i++)); do
    manifest+="---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: \"0\"}
  labels: {type: kwok, kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64}
status:
  allocatable: {cpu: \"1000\", memory: 4Ti, pods: \"10000\"}
  capacity: {cpu: \"1000\", memory: 4Ti, pods: \"10000\"}
"
  done
  printf '%s' "$manifest" | kc apply -f - >/dev/null
}

up() {
  BIN=$(bin_dir)
  mkdir -p "$state"
  if all_alive && readyz; then
    log "already up (KUBECONFIG=$kubeconfig)"
    create_nodes
    wait_for "nodes Ready" 60 nodes_ready
    return 0
  fi
  # A half-running cluster (e.g. one component crashed) is restarted whole.
  stop_all quiet
  make_pki
  local started=$SECONDS
  local p="$state/pki"
  log "starting etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok on 127.0.0.1"
  start etcd --name=local --data-dir="$state/etcd" \
    --listen-client-urls="http://127.0.0.1:$etcd_port" --advertise-client-urls="http://127.0.0.1:$etcd_port" \
    --listen-peer-urls="http://127.0.0.1:$etcd_peer_port" --initial-advertise-peer-urls="http://127.0.0.1:$etcd_peer_port" \
    --initial-cluster="local=http://127.0.0.1:$etcd_peer_port" --log-level=warn
  start kube-apiserver --etcd-servers="http://127.0.0.1:$etcd_port" \
    --bind-address=127.0.0.1 --secure-port="$api_port" \
    --tls-cert-file="$p/apiserver.crt" --tls-private-key-file="$p/apiserver.key" --client-ca-file="$p/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$p/sa.pub" --service-account-signing-key-file="$p/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 --authorization-mode=Node,RBAC
  start kube-controller-manager --kubeconfig="$kubeconfig" --bind-address=127.0.0.1 --secure-port="$kcm_port" \
    --leader-elect=false --service-account-private-key-file="$p/sa.key" --root-ca-file="$p/ca.crt" \
    --cluster-signing-cert-file="$p/ca.crt" --cluster-signing-key-file="$p/ca.key" \
    --kube-api-qps="${JOBSET_KCM_QPS:-100}" --kube-api-burst="${JOBSET_KCM_BURST:-200}"
  start kube-scheduler --kubeconfig="$kubeconfig" --bind-address=127.0.0.1 --secure-port="$sched_port" --leader-elect=false
  start kwok --kubeconfig="$kubeconfig" --config="$here/kwok-stages.yaml" --manage-all-nodes=true \
    --cidr=10.244.0.0/16 --node-lease-duration-seconds=40
  wait_for "kube-apiserver /readyz" 90 readyz
  log "kube-apiserver ready after $((SECONDS - started))s"
  wait_for "kube-controller-manager /healthz" 60 healthz "$kcm_port"
  wait_for "kube-scheduler /healthz" 60 healthz "$sched_port"
  wait_for "the default ServiceAccount" 60 default_sa
  create_nodes
  wait_for "$nodes fake node(s) Ready" 60 nodes_ready
  for c in "${components[@]}"; do alive "$c" || { log "$c exited; see $state/logs/$c.log"; exit 1; }; done
  log "cluster up in $((SECONDS - started))s: export KUBECONFIG=$kubeconfig"
}

stop_one() {
  local name=$1 p; p=$(pid_of "$name")
  if [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; then
    kill -TERM "$p"
    for _ in $(seq 1 150); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$p" 2>/dev/null && kill -KILL "$p"
    [[ "${2:-}" == quiet ]] || log "stopped $name (pid $p)"
  fi
  rm -f "$state/pids/$name"
}

stop_all() {
  # The apiserver stops before etcd: with etcd gone first it hangs ~10s in shutdown.
  for c in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do stop_one "$c" "${1:-}"; done
}

case "${1:-}" in
  build) bin_dir ;;
  bin) bin_dir ;;
  up) up ;;
  down) stop_all ;;
  reset) stop_all; rm -rf "$state"; log "state removed" ;;
  status)
    BIN=$(bin_dir)
    if all_alive && readyz; then echo "cluster: up (KUBECONFIG=$kubeconfig)"; else echo "cluster: down"; exit 1; fi ;;
  env)
    echo "export KUBECONFIG=$kubeconfig"
    echo "export PATH=$(bin_dir):\$PATH" ;;
  *) echo "usage: $0 build|up|down|reset|status|env|bin" >&2; exit 2 ;;
esac
