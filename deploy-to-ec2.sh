#!/usr/bin/env bash
# Deploy Wattkey to one EC2 host with Docker: ship HEAD, build there, swap containers, check
# /health, roll back on failure. Run with --help for the full story.
set -euo pipefail

prog=${0##*/}

usage() {
    cat <<EOF
usage: $prog [--dry-run] <EC2_HOST> <FRONTEND_URL> [AWS_REGION]
       $prog --print-remote-script
       $prog --help

Deploys the committed HEAD of this git repository to EC2_HOST as a Docker container on the
aws backend (DynamoDB, S3, SES, SNS), reachable on port \$DEPLOY_HOST_PORT of the host.

Arguments
  EC2_HOST      host name or address that ssh reaches (also a Host alias of ~/.ssh/config)
  FRONTEND_URL  origin of the web front end, e.g. https://app.example.com; becomes
                ALLOWED_ORIGINS (several may be given, separated by commas)
  AWS_REGION    region of the tables, bucket, SES and SNS (default us-east-1 on the first
                deploy; later deploys keep the host's value unless it is given)

Options
  -n, --dry-run          print every command (local and remote) instead of running it;
                         ssh/scp are not invoked, nothing is built or written
  --print-remote-script  print the helper script that is copied to the host and exit
  -h, --help             this text

Environment
  SSH_USER               remote user (default ec2-user); it needs sudo (or DEPLOY_SUDO=)
  SSH_KEY                private key file for ssh/scp (default: ssh's own choice, agent)
  DEPLOY_SUDO            command for privileged remote steps (default sudo; empty: none)
  DEPLOY_HOST_PORT       host port published to the container's port 8000 (default 8000)
  DEPLOY_HEALTH_TIMEOUT  seconds to wait for /health after a start (default 120)

On the host: sources in /opt/wattkey/src, environment in /opt/wattkey/wattkey.env, container
'wattkey', images wattkey:<git sha> and wattkey:previous.

Steps
  1. Local checks: this is a git repository with a commit; uncommitted changes are NOT
     deployed (a warning says so). The image tag is the short sha of HEAD.
  2. Package: 'git archive HEAD' into a local temporary .tar.gz (only committed files; the
     Dockerfile's .dockerignore applies on the host) and write the remote helper beside it.
  3. Ship: create ~/wattkey-deploy-<sha> on the host and scp the archive and helper there.
  4. Host check: docker is installed and its daemon answers; curl or python3 is present.
  5. Prepare: unpack the archive into /opt/wattkey/src (fresh every time) and create the env
     file /opt/wattkey/wattkey.env (mode 600, root) on the FIRST deploy only, with
     STORAGE_BACKEND=aws, AWS_REGION, ALLOWED_ORIGINS, APP_HOST=0.0.0.0 and a freshly generated
     JWT_SECRET and API_KEY_PEPPER (made on the host, never printed, kept on later deploys).
     Later deploys only update ALLOWED_ORIGINS (and AWS_REGION when given); other lines you
     added (ALERT_FROM_EMAIL, LOG_LEVEL, WEB_CONCURRENCY, table names...) are left alone.
     No AWS keys are written: the instance's IAM role provides credentials (see
     docs/iam-policy.json). With IMDSv2 the instance's metadata hop limit must be at least 2
     for a container to reach it:
       aws ec2 modify-instance-metadata-options --instance-id <id> \\
           --http-put-response-hop-limit 2 --http-endpoint enabled
  6. Build: 'docker build --pull -t wattkey:<sha> /opt/wattkey/src' on the host.
  7. Retire: if a container wattkey runs, tag its image wattkey:previous, stop it and
     rename it wattkey-previous (kept, stopped, for a fast rollback).
  8. Start: 'docker run -d --name wattkey --restart unless-stopped
     --env-file /opt/wattkey/wattkey.env -p \$DEPLOY_HOST_PORT:8000 wattkey:<sha>'.
  9. Health: poll http://127.0.0.1:\$DEPLOY_HOST_PORT/health on the host until it answers 200, for
     at most \$DEPLOY_HEALTH_TIMEOUT seconds.
 10. On success: remove wattkey-previous, dangling images and the staging folder.
     On failure: print the new container's last log lines, remove it, bring back
     wattkey-previous (or, when it is gone, run wattkey:previous with the same
     options), wait for its health, and exit 1.

Exit codes: 0 deployed, 1 deploy failed (rolled back when possible), 2 usage error,
3 a local tool is missing.
EOF
}

log() { printf '==> %s\n' "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
die() {
    local code=$1
    shift
    printf '%s: %s\n' "$prog" "$*" >&2
    exit "$code"
}

# Quote one word for a POSIX shell: as is when harmless, else in single quotes.
shell_quote() {
    local word=$1
    if [[ $word =~ ^[A-Za-z0-9_./:=@%+,-]+$ ]]; then
        printf '%s' "$word"
    else
        printf "'%s'" "${word//\'/\'\\\'\'}"
    fi
}

shell_join() {
    local word out=
    for word in "$@"; do
        out+="${out:+ }$(shell_quote "$word")"
    done
    printf '%s' "$out"
}

dry_run=0

# Every command that changes something, here or on the host, goes through run.
run() {
    if ((dry_run)); then
        printf '+ %s\n' "$(shell_join "$@")"
    else
        "$@"
    fi
}

# ---------------------------------------------------------------------------------------------
# The helper copied to the host and run there as root. It is plain bash; its steps are the
# conditional ones that are clumsy as one-line ssh commands.
remote_helper() {
    cat <<'HELPER'
#!/usr/bin/env bash
# wattkey remote helper, written by deploy-to-ec2.sh; run as root on the EC2 host.
set -euo pipefail

say() { printf '    [host] %s\n' "$*" >&2; }

exists_container() { docker container inspect "$1" >/dev/null 2>&1; }
exists_image() { docker image inspect "$1" >/dev/null 2>&1; }

health_ok() {
    local url=$1
    if command -v curl >/dev/null 2>&1; then
        curl -fsS -o /dev/null --max-time 4 "$url" 2>/dev/null
    else
        python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=4)' \
            "$url" 2>/dev/null
    fi
}

cmd_check() {
    command -v docker >/dev/null 2>&1 || { say "docker is not installed"; exit 1; }
    docker info >/dev/null 2>&1 || { say "the docker daemon does not answer"; exit 1; }
    command -v curl >/dev/null 2>&1 || command -v python3 >/dev/null 2>&1 ||
        { say "neither curl nor python3 is installed (needed for the health check)"; exit 1; }
    say "docker $(docker version --format '{{.Server.Version}}') ok"
}

set_var() { # set_var FILE KEY VALUE: replace the KEY= line or append one
    local file=$1 key=$2 value=$3
    KEY=$key VALUE=$value awk '
        BEGIN { key = ENVIRON["KEY"]; value = ENVIRON["VALUE"]; done = 0 }
        index($0, key "=") == 1 { print key "=" value; done = 1; next }
        { print }
        END { if (!done) print key "=" value }' "$file" >"$file.tmp"
    mv -f "$file.tmp" "$file"
}

secret() { head -c 48 /dev/urandom | base64 | tr -d '\n=+/'; }

cmd_prepare() { # prepare ARCHIVE REMOTE_DIR ORIGINS REGION(may be empty)
    local archive=$1 dir=$2 origins=$3 region=$4
    local env_file=$dir/wattkey.env
    # The sources must stay world-readable: docker COPY keeps their modes in the image.
    umask 022
    mkdir -p "$dir"
    rm -rf "$dir/src.new"
    mkdir -p "$dir/src.new"
    tar --no-same-owner -xzf "$archive" -C "$dir/src.new"
    rm -rf "$dir/src"
    mv "$dir/src.new" "$dir/src"
    chmod -R go-w "$dir/src"
    umask 077
    if [[ ! -f $env_file ]]; then
        {
            echo "# Wattkey environment, created by deploy-to-ec2.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)."
            echo "# Names as in the README's Configuration table. Credentials come from the instance IAM role."
            echo "STORAGE_BACKEND=aws"
            echo "AWS_REGION=${region:-us-east-1}"
            echo "ALLOWED_ORIGINS=$origins"
            echo "APP_HOST=0.0.0.0"
            echo "JWT_SECRET=$(secret)"
            echo "API_KEY_PEPPER=$(secret)"
            echo "# ALERT_FROM_EMAIL=alerts@example.com   (a verified SES identity; unset: no e-mail)"
            echo "# WEB_CONCURRENCY=2"
            echo "# LOG_LEVEL=INFO"
        } >"$env_file.tmp"
        mv -f "$env_file.tmp" "$env_file"
        say "created $env_file (new JWT_SECRET and API_KEY_PEPPER)"
    else
        set_var "$env_file" ALLOWED_ORIGINS "$origins"
        if [[ -n $region ]]; then
            set_var "$env_file" AWS_REGION "$region"
        fi
        say "kept $env_file (secrets unchanged; ALLOWED_ORIGINS${region:+, AWS_REGION} updated)"
    fi
    chmod 600 "$env_file"
}

cmd_retire() { # retire NAME REPO
    local name=$1 repo=$2 image
    if ! exists_container "$name"; then
        say "no container $name yet (first deploy)"
        return
    fi
    image=$(docker container inspect --format '{{.Image}}' "$name")
    docker tag "$image" "$repo:previous"
    docker stop --time 20 "$name" >/dev/null
    if exists_container "$name-previous"; then
        docker rm -f "$name-previous" >/dev/null
    fi
    docker rename "$name" "$name-previous"
    say "stopped $name; kept as $name-previous, image tagged $repo:previous"
}

cmd_wait_healthy() { # wait-healthy NAME PORT TIMEOUT
    local name=$1 port=$2 timeout=$3 state
    local url="http://127.0.0.1:$port/health"
    local deadline=$((SECONDS + timeout))
    while ((SECONDS < deadline)); do
        state=$(docker container inspect --format '{{.State.Status}}' "$name" 2>/dev/null || echo missing)
        case $state in
        exited | dead | missing)
            say "container $name is $state"
            docker logs --tail 50 "$name" 2>&1 | sed 's/^/    [log] /' >&2 || true
            return 1
            ;;
        esac
        if health_ok "$url"; then
            say "$url answers 200"
            return 0
        fi
        sleep 2
    done
    say "$url did not answer 200 within ${timeout}s"
    docker logs --tail 50 "$name" 2>&1 | sed 's/^/    [log] /' >&2 || true
    return 1
}

cmd_rollback() { # rollback NAME REPO PORT ENV_FILE TIMEOUT
    local name=$1 repo=$2 port=$3 env_file=$4 timeout=$5
    if exists_container "$name"; then
        docker rm -f "$name" >/dev/null
        say "removed the failed container $name"
    fi
    if exists_container "$name-previous"; then
        docker rename "$name-previous" "$name"
        docker start "$name" >/dev/null
        say "restarted the previous container"
    elif exists_image "$repo:previous"; then
        docker run -d --name "$name" --restart unless-stopped --env-file "$env_file" \
            -p "$port:8000" --log-opt max-size=10m --log-opt max-file=5 "$repo:previous" >/dev/null
        say "started $repo:previous"
    else
        say "nothing to roll back to (first deploy)"
        return 1
    fi
    cmd_wait_healthy "$name" "$port" "$timeout"
}

cmd_finish() { # finish NAME STAGING
    local name=$1 staging=$2
    if exists_container "$name-previous"; then
        docker rm "$name-previous" >/dev/null
    fi
    docker image prune -f >/dev/null
    rm -rf -- "$staging"
    say "cleaned up"
}

command=$1
shift
case $command in
check) cmd_check "$@" ;;
prepare) cmd_prepare "$@" ;;
retire) cmd_retire "$@" ;;
wait-healthy) cmd_wait_healthy "$@" ;;
rollback) cmd_rollback "$@" ;;
finish) cmd_finish "$@" ;;
*)
    say "unknown command $command"
    exit 2
    ;;
esac
HELPER
}

write_remote_helper() {
    remote_helper >"$1"
}

# ---------------------------------------------------------------------------------------------
main() {
    local -a args=()
    while (($#)); do
        case $1 in
        -h | --help)
            usage
            exit 0
            ;;
        -n | --dry-run)
            dry_run=1
            ;;
        --print-remote-script)
            remote_helper
            exit 0
            ;;
        --)
            shift
            args+=("$@")
            break
            ;;
        -*)
            usage >&2
            die 2 "unknown option $1"
            ;;
        *)
            args+=("$1")
            ;;
        esac
        shift
    done
    if ((${#args[@]} < 2 || ${#args[@]} > 3)); then
        usage >&2
        exit 2
    fi

    local host=${args[0]} frontend=${args[1]} region=${args[2]:-}
    [[ $host =~ ^[A-Za-z0-9][A-Za-z0-9.:_-]*$ ]] ||
        die 2 "EC2_HOST '$host' is not a host name or address"
    local origin origins=
    local -a origin_list=()
    IFS=, read -r -a origin_list <<<"$frontend"
    ((${#origin_list[@]})) || die 2 "FRONTEND_URL is empty"
    for origin in "${origin_list[@]}"; do
        origin=${origin%/}
        [[ $origin =~ ^https?://[A-Za-z0-9.-]+(:[0-9]+)?$ ]] ||
            die 2 "FRONTEND_URL '$origin' is not an origin like https://app.example.com"
        origins+="${origins:+,}$origin"
    done
    if [[ -n $region ]]; then
        [[ $region =~ ^[a-z]{2}(-[a-z]+)+-[0-9]+$ ]] ||
            die 2 "AWS_REGION '$region' does not look like a region (e.g. eu-west-1)"
    fi

    local ssh_user=${SSH_USER:-ec2-user}
    local host_port=${DEPLOY_HOST_PORT:-8000}
    local timeout=${DEPLOY_HEALTH_TIMEOUT:-120}
    local remote_dir=/opt/wattkey name=wattkey repo=wattkey
    [[ $ssh_user =~ ^[A-Za-z0-9._][A-Za-z0-9._-]*$ ]] || die 2 "SSH_USER '$ssh_user' is not a user name"
    [[ $host_port =~ ^[0-9]+$ ]] || die 2 "DEPLOY_HOST_PORT must be a number"
    [[ $timeout =~ ^[0-9]+$ ]] || die 2 "DEPLOY_HEALTH_TIMEOUT must be a number of seconds"

    local -a sudo=()
    if [[ -n ${DEPLOY_SUDO-sudo} ]]; then
        sudo=("${DEPLOY_SUDO-sudo}")
    fi
    local -a ssh_opts=(-o BatchMode=yes -o ConnectTimeout=15 -o StrictHostKeyChecking=accept-new)
    if [[ -n ${SSH_KEY:-} ]]; then
        [[ -r $SSH_KEY ]] || ((dry_run)) || die 2 "SSH_KEY '$SSH_KEY' is not readable"
        ssh_opts+=(-i "$SSH_KEY")
    fi
    local target=$ssh_user@$host

    # ssh joins its arguments into one line for the remote shell: quote each word for it.
    remote() { run ssh "${ssh_opts[@]}" "$target" "$(shell_join "$@")"; }

    # 1. Local checks.
    log "[1/10] local checks"
    command -v git >/dev/null 2>&1 || die 3 "git is not installed"
    if ! ((dry_run)); then
        command -v ssh >/dev/null 2>&1 || die 3 "ssh is not installed"
        command -v scp >/dev/null 2>&1 || die 3 "scp is not installed"
    fi
    local top sha
    top=$(git rev-parse --show-toplevel 2>/dev/null) || die 2 "not inside a git repository"
    cd -- "$top"
    if sha=$(git rev-parse --short=12 --verify -q HEAD); then
        :
    elif ((dry_run)); then
        sha=000000000000
        warn "no commit yet; using $sha as the image tag for this dry run"
    else
        die 2 "there is no commit to deploy (git archive ships HEAD)"
    fi
    if [[ -n $(git status --porcelain --untracked-files=no 2>/dev/null) ]]; then
        warn "uncommitted changes are not deployed (only HEAD $sha is shipped)"
    fi
    if git rev-parse --verify -q HEAD >/dev/null; then
        git cat-file -e HEAD:Dockerfile 2>/dev/null || die 2 "HEAD has no Dockerfile at its top"
    fi

    local staging=wattkey-deploy-$sha
    local archive_name=wattkey-$sha.tar.gz
    local env_file=$remote_dir/wattkey.env
    local work
    work=$(mktemp -d "${TMPDIR:-/tmp}/wattkey-deploy.XXXXXX")
    # shellcheck disable=SC2064 # expand $work now
    trap "rm -rf -- '$work'" EXIT

    # 2. Package.
    log "[2/10] package HEAD ($sha)"
    run git archive --format=tar.gz -o "$work/$archive_name" HEAD
    run write_remote_helper "$work/remote.sh"

    # 3. Ship.
    log "[3/10] ship to $target:$staging/"
    remote mkdir -p "$staging"
    run scp -q "${ssh_opts[@]}" "$work/$archive_name" "$work/remote.sh" "$target:$staging/"

    local -a helper=("${sudo[@]}" bash "$staging/remote.sh")

    # 4. Host check.
    log "[4/10] check docker on the host"
    remote "${helper[@]}" check

    # 5. Prepare source folder and env file.
    log "[5/10] unpack into $remote_dir/src and prepare $env_file"
    remote "${helper[@]}" prepare "$staging/$archive_name" "$remote_dir" "$origins" "$region"

    # 6. Build.
    log "[6/10] build $repo:$sha on the host"
    remote "${sudo[@]}" docker build --pull -t "$repo:$sha" --build-arg "GIT_SHA=$sha" \
        "$remote_dir/src"

    # 7. Retire the running container.
    log "[7/10] retire the running container (kept as $name-previous)"
    remote "${helper[@]}" retire "$name" "$repo"

    # 8. Start the new one, then 9. wait for its health; either failing means roll back.
    log "[8/10] start $repo:$sha as $name on port $host_port"
    if remote "${sudo[@]}" docker run -d --name "$name" --restart unless-stopped \
        --env-file "$env_file" -p "$host_port:8000" \
        --log-opt max-size=10m --log-opt max-file=5 "$repo:$sha" &&
        log "[9/10] wait up to ${timeout}s for /health" &&
        remote "${helper[@]}" wait-healthy "$name" "$host_port" "$timeout"; then
        # 10. Success.
        log "[10/10] healthy: clean up"
        remote "${helper[@]}" finish "$name" "$staging"
        if ! ((dry_run)); then
            log "deployed $repo:$sha to $host (port $host_port)"
            return 0
        fi
        log "[10/10] (dry run) had it been unhealthy instead:"
    fi

    # 10. Failure: roll back.
    log "[10/10] unhealthy: roll back"
    if remote "${helper[@]}" rollback "$name" "$repo" "$host_port" "$env_file" "$timeout"; then
        if ((dry_run)); then
            log "dry run done: nothing was run"
            return 0
        fi
        die 1 "deploy of $sha failed; the previous version is running again"
    fi
    die 1 "deploy of $sha failed and no healthy previous version could be started"
}

main "$@"
