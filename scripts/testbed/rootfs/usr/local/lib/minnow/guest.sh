# Shared by minnow-run-guest and minnow-stream-guest (sourced, bash).
# Helpers to name a guest, read how xl saw it end, and collect its console log.

readonly CONSOLE_LOG_DIR=/var/log/xen/console

# guest_name CFG [OVERRIDES...]: the guest's name, i.e. the last name=...
# among the xl key=value overrides, else the name = "..." line of CFG.
guest_name() {
  local cfg=$1 arg name=""
  shift
  name=$(sed -n "s/^[[:space:]]*name[[:space:]]*=[[:space:]]*[\"']\([^\"']*\)[\"'].*/\1/p" \
    "$cfg" | tail -n 1)
  for arg in "$@"; do
    case "$arg" in
      name=*) name=${arg#name=}; name=${name//[\"\']/} ;;
    esac
  done
  [[ -n "$name" ]] || { echo "no name = \"...\" in $cfg" >&2; return 1; }
  echo "$name"
}

# reason_word CODE: xl's shutdown reason code as a word (SHUTDOWN_* in
# xen/include/public/sched.h).
reason_word() {
  case "$1" in
    0) echo poweroff ;;
    1) echo reboot ;;
    2) echo suspend ;;
    3) echo crash ;;
    4) echo watchdog ;;
    5) echo soft_reset ;;
    *) echo unknown ;;
  esac
}

# shutdown_field XL_LOG FIELD: from xl's last "Domain N has shut down, reason
# code R" line, print N (FIELD=domid) or R (FIELD=code); nothing if absent.
shutdown_field() {
  local line
  line=$(grep -a 'has shut down, reason code' "$1" | tail -n 1)
  [[ "$line" =~ Domain\ ([0-9]+)\ has\ shut\ down,\ reason\ code\ ([0-9]+) ]] ||
    return 0
  case "$2" in
    domid) echo "${BASH_REMATCH[1]}" ;;
    code) echo "${BASH_REMATCH[2]}" ;;
  esac
}

# xl_reason XL_LOG: reason word for the guest whose `xl create -F` wrote XL_LOG.
xl_reason() {
  local code
  code=$(shutdown_field "$1" code)
  reason_word "${code:-none}"
}

# wait_log_settled FILE: xenconsoled writes the log as it drains the ring;
# wait until FILE has not grown for 0.5 s (at most 5 s) before reading it.
wait_log_settled() {
  local file=$1 last=-1 size
  for _ in $(seq 10); do
    size=$(stat -c %s "$file" 2>/dev/null || echo 0)
    [[ "$size" == "$last" ]] && return 0
    last=$size
    sleep 0.5
  done
}

# console_log NAME: where xenconsoled logs the console of guest NAME.
console_log() { echo "$CONSOLE_LOG_DIR/guest-$1.log"; }

# domain_exists ID_OR_NAME: true if xl still lists that domain.
domain_exists() { xl domid "$1" >/dev/null 2>&1 || xl list "$1" >/dev/null 2>&1; }

# destroy_if_alive ID_OR_NAME: destroy that domain if it still exists.
destroy_if_alive() {
  [[ -n "$1" ]] || return 0
  domain_exists "$1" && xl destroy "$1" >/dev/null 2>&1
  return 0
}
