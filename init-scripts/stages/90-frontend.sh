# rk-stage: console
# Stage 90-frontend: hand the console to the front-end. rk.mode=selftest runs `rescuekit selftest`, prints
# its exit code and powers off. Other modes run `rescuekit restore --mode MODE` with the rk.* options; when it
# returns, /init gives a shell and reboots after it.

rk_have rescuekit || rk_fail "/usr/bin/rescuekit is missing from the image"
# The front-end reads what the stages found (RK_MEDIA_DEV, RK_BACKUP_DIR, RK_BACKUP_URL, RK_NET_*) from here.
set -a
. "$RK_RUN/cmdline.env"
. "$RK_STATE"
set +a

if [ "$RK_MODE" = selftest ]; then
	rescuekit selftest
	rc=$?
	echo "[rk] selftest exit code: $rc"
	[ "$rc" -eq 0 ] && rk_say "[rk] stage 90-frontend: ok (selftest passed)" ||
		rk_say "[rk] stage 90-frontend: failed (selftest exit $rc)"
	sync
	poweroff -f
fi

set -- restore --mode "$RK_MODE"
[ -n "$RK_UNATTENDED" ] && set -- "$@" --unattended
[ -n "$RK_NORESIZE" ] && set -- "$@" --no-resize
[ -n "$RK_NOPART" ] && set -- "$@" --no-part
[ -n "$RK_SOURCE_GIVEN" ] && set -- "$@" --source "$RK_SOURCE"
rk_log "running rescuekit $*"
rk_on_console rescuekit "$@"
rc=$?
[ "$rc" -eq 0 ] || rk_fail "rescuekit exited $rc"
rk_ok "rescuekit exited 0"
