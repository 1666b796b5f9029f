# RescueKit init helpers, sourced by /init and by every stage (docs/init.md). POSIX sh for busybox ash.

# The paths below are shared with rescuekit: RescuePaths in src/RescueKit.Core holds the same (docs/init.md lists both).
RK_RUN=/run/rescuekit
RK_LOG=$RK_RUN/init.log
# Facts stages hand to later stages and to the front-end (KEY='value' lines; re-read after each stage).
RK_STATE=$RK_RUN/state.env
RK_MEDIA_DIR=$RK_RUN/media
RK_NFS_DIR=$RK_RUN/backup-nfs
# Where 40-media mounts a RescueKit USB stick's data partition (read-only).
RK_DATA_DIR=$RK_RUN/data
# Exists while the drivers kept on the medium are still loading in the background (20-modules): the devices they bring
# may not be there yet. Whatever needs every device calls rk_wait_devices first; the front-end reads the same file.
RK_DEVICES_PENDING=$RK_RUN/devices.pending

rk_log() {
	echo "$*" >>"$RK_LOG"
}

# Prints a line on the console (the init's stdout) and in the log, also while a stage's output goes to the log.
rk_say() {
	echo "$*" >>"$RK_LOG"
	echo "$*" >/dev/console 2>/dev/null || echo "$*"
}

# Records KEY=value for later stages and the front-end.
rk_set() {
	printf "%s='%s'\n" "$1" "$(printf %s "$2" | sed "s/'/'\\\\''/g")" >>"$RK_STATE"
	eval "$1=\$2"
}

# Ends the current stage (stages run in a subshell): ok, ok with a note, or failed with a reason.
rk_ok() {
	[ -n "$1" ] && printf %s "$1" >"$RK_RUN/stage.reason"
	exit 0
}
rk_fail() {
	printf %s "$1" >"$RK_RUN/stage.reason"
	exit 1
}

rk_have() {
	command -v "$1" >/dev/null 2>&1
}

# Sleeps a fraction of a second where busybox sleep allows it, else a whole second.
# busybox sh runs its own modprobe applet ahead of PATH; the image's kmod (/usr/sbin/modprobe) is the one that reads
# the zstd-compressed modules and the soft dependencies, so every stage goes through it when it is there.
if [ -x /usr/sbin/modprobe ]; then
	modprobe() { /usr/sbin/modprobe "$@"; }
fi

# rk_nap [SECONDS]: half a second unless told otherwise.
rk_nap() {
	sleep "${1:-0.5}" 2>/dev/null || sleep 1
}

# How many block devices (disks and partitions) the kernel knows.
rk_block_devices() {
	awk 'NR > 2 && NF == 4 { n++ } END { print n + 0 }' /proc/partitions
}

# One coldplug pass: modprobe the alias of every device, after the modules named as arguments (in the same modprobe
# run: each start of kmod costs about 0.1 s under QEMU TCG). Returns 0 when the set of aliases or of block devices
# changed since the previous pass (kept in $RK_RUN/coldplug.last), 1 when nothing changed.
# Every device with a modalias sits on a bus or in a class, besides the CPU and DMI entries: globbing those is the
# same set as `find /sys/devices -name modalias`, which walks all of sysfs (0.4 s a pass under QEMU TCG).
rk_coldplug() {
	aliases=$(cat /sys/bus/*/devices/*/modalias /sys/class/*/*/modalias /sys/devices/system/cpu/modalias \
		/sys/devices/virtual/dmi/id/modalias 2>/dev/null | sort -u)
	now=$(printf '%s\n' "$aliases"; cat /proc/partitions)
	[ -f "$RK_RUN/coldplug.last" ] && [ "$now" = "$(cat "$RK_RUN/coldplug.last")" ] && [ $# -eq 0 ] && return 1
	printf '%s\n' "$now" >"$RK_RUN/coldplug.last"
	echo "coldplug at $(cut -d" " -f1 /proc/uptime) s: $(printf '%s\n' "$aliases" | grep -c .) device aliases, $(rk_block_devices) block devices"
	# shellcheck disable=SC2086 # one argument per alias
	[ -n "$aliases$*" ] && modprobe -q -b -a "$@" $aliases
	return 0
}

# Coldplug passes half a second apart until one changes nothing (0), or RK_SETTLE_SECONDS (default 10) went by (1).
rk_settle() {
	settle_left=$((${RK_SETTLE_SECONDS:-10} * 2))
	while [ "$settle_left" -gt 0 ]; do
		rk_nap
		rk_coldplug || return 0
		settle_left=$((settle_left - 1))
	done
	return 1
}

# Returns once the background coldplug of 20-modules is over; 1 if it is still going after RK_SETTLE_SECONDS + 5 s
# (the caller goes on with the devices there are, as a settle that never ends does).
rk_wait_devices() {
	[ -e "$RK_DEVICES_PENDING" ] || return 0
	echo "waiting for the drivers kept on the medium to finish loading"
	wait_left=$(((${RK_SETTLE_SECONDS:-10} + 5) * 4))
	while [ -e "$RK_DEVICES_PENDING" ]; do
		if [ "$wait_left" -le 0 ]; then
			echo "the drivers kept on the medium are still loading: going on without waiting longer"
			return 1
		fi
		rk_nap 0.25
		wait_left=$((wait_left - 1))
	done
	return 0
}

# Prints the block device whose file system has volume label $1 (blkid -L, else busybox findfs); 1 when none has.
rk_find_label() {
	if rk_have blkid; then
		blkid -L "$1" 2>/dev/null && return 0
	fi
	if rk_have findfs; then
		findfs "LABEL=$1" 2>/dev/null && return 0
	fi
	return 1
}

# Mounts block device $1 read-only on directory $2 as ISO 9660 (a CD, or the ISO written to a stick) or FAT.
# A module is loaded only when /sys/module lacks it: each modprobe start costs about 0.1 s under QEMU TCG.
rk_mount_media() {
	mkdir -p "$2"
	[ -d /sys/module/isofs ] || modprobe -q isofs 2>/dev/null
	mount -t iso9660 -o ro "$1" "$2" 2>/dev/null && return 0
	[ -d /sys/module/vfat ] || modprobe -q vfat 2>/dev/null
	mount -t vfat -o ro "$1" "$2"
}

# Reads the kernel command line on stdin, prints sh assignments for cmdline.env (DESIGN §5 keys).
rk_parse_cmdline() {
	mode=${RK_DEFAULT_MODE:-interactive}
	source=auto
	source_given=
	ip=
	brk=
	debug=
	unattended=
	noresize=
	nopart=
	after=
	bootif=
	initrd_sha=
	set -f
	for arg in $(cat); do
		case "$arg" in
		rk.mode=*) mode=${arg#rk.mode=} ;;
		rk.source=*) source=${arg#rk.source=}; source_given=1 ;;
		ip=*) ip=${arg#ip=} ;;
		rk.break) brk="${brk:+$brk,}90-frontend" ;;
		rk.break=*) brk="${brk:+$brk,}${arg#rk.break=}" ;;
		rk.debug) debug=1 ;;
		rk.unattended) unattended=1 ;;
		rk.noresize) noresize=1 ;;
		rk.nopart) nopart=1 ;;
		# The NIC that booted: pxelinux's IPAPPEND 2 and RescueKit's GRUB and iPXE entries pass BOOTIF=01-<MAC> (01: the
		# ARP hardware type Ethernet), with dashes, or colons where GRUB fills in $net_default_mac.
		BOOTIF=01-*) bootif=$(printf %s "${arg#BOOTIF=01-}" | tr 'A-F-' 'a-f:') ;;
		rk.initrd_sha256=*) initrd_sha=${arg#rk.initrd_sha256=} ;;
		rk.after=reboot | rk.after=poweroff) after=${arg#rk.after=} ;;
		rk.after=*) echo "[rk] unknown ${arg}: give rk.after=reboot or rk.after=poweroff; ignored" >&2 ;;
		esac
	done
	set +f
	case "$mode" in
	interactive | nuke | compare | expert | selftest) ;;
	*)
		echo "[rk] unknown rk.mode=$mode, using ${RK_DEFAULT_MODE:-interactive}" >&2
		mode=${RK_DEFAULT_MODE:-interactive}
		;;
	esac
	for kv in "RK_MODE=$mode" "RK_SOURCE=$source" "RK_SOURCE_GIVEN=$source_given" "RK_IP=$ip" \
		"RK_BREAK=$brk" "RK_DEBUG=$debug" "RK_UNATTENDED=$unattended" "RK_NORESIZE=$noresize" "RK_NOPART=$nopart" \
		"RK_AFTER=$after" "RK_BOOTIF=$bootif" "RK_INITRD_SHA256=$initrd_sha"; do
		printf "%s='%s'\n" "${kv%%=*}" "$(printf %s "${kv#*=}" | tr -d "'")"
	done
}

# True when rk.break names this stage, as NN-name or as name.
rk_break_wanted() {
	old_ifs=$IFS
	IFS=,
	for b in $RK_BREAK; do
		if [ "$b" = "$1" ] || [ "$b" = "${1#[0-9][0-9]-}" ]; then
			IFS=$old_ifs
			return 0
		fi
	done
	IFS=$old_ifs
	return 1
}

# Runs a program on the console as its controlling terminal (job control, Ctrl-C), where busybox allows it.
rk_on_console() {
	if rk_have setsid && rk_have cttyhack; then
		setsid cttyhack "$@"
	else
		"$@" </dev/console >/dev/console 2>&1
	fi
}

# An interactive shell on the console; returns when the user leaves it.
rk_shell() {
	echo "[rk] $1"
	echo "[rk] The log is $RK_LOG; facts found so far are in $RK_STATE."
	rk_log "shell: $1"
	rk_on_console sh
	rk_log "shell: left"
}

# Runs one stage file in a subshell, prints "[rk] stage NN-name: ok|failed[ (reason)]" and, on failure,
# shows the log tail and gives a shell; leaving the shell continues with the next stage.
# Shell built-ins only, outside the stage itself: under QEMU TCG each program started costs milliseconds.
rk_run_stage() {
	file=$1
	name=${file##*/}
	name=${name%.sh}
	if rk_break_wanted "$name"; then
		rk_shell "rk.break: shell before stage $name. Type 'exit' to continue."
	fi
	: >"$RK_RUN/stage.reason"
	read -r uptime _ </proc/uptime
	rk_log "--- stage $name (uptime $uptime s)"
	# A stage whose first line is "# rk-stage: console" (the front-end) keeps the console; the others write to the log.
	IFS= read -r first_line <"$file"
	if [ "$first_line" = "# rk-stage: console" ]; then
		(. "$file")
		rc=$?
	elif [ -n "$RK_DEBUG" ]; then
		( (. "$file") 2>&1; echo $? >"$RK_RUN/stage.rc") | tee -a "$RK_LOG"
		rc=$(cat "$RK_RUN/stage.rc")
	else
		(. "$file") >>"$RK_LOG" 2>&1 </dev/null
		rc=$?
	fi
	reason=
	# rk_ok and rk_fail write the reason without a newline: read sets it and still returns 1.
	IFS= read -r reason <"$RK_RUN/stage.reason"
	[ -n "$reason" ] && reason=" ($reason)"
	if [ "$rc" -eq 0 ]; then
		rk_say "[rk] stage $name: ok$reason"
		return 0
	fi
	rk_say "[rk] stage $name: failed$reason"
	echo "$name" >>"$RK_RUN/failed-stages"
	echo "[rk] ---- last lines of $RK_LOG ----"
	tail -n 15 "$RK_LOG"
	echo "[rk] ----"
	if [ "$RK_MODE" = selftest ]; then
		# The self-test runs unattended (CI, fleet checks): report and go on so that it always ends in power-off.
		echo "[rk] rk.mode=selftest: no shell, continuing with the next stage."
		return 1
	fi
	rk_shell "Stage $name failed. Fix what you can here, then type 'exit' to continue with the next stage."
	return 1
}
